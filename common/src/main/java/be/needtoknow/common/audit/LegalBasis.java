package be.needtoknow.common.audit;

/** The legal bases an audit record names (docs/rules.md, "The legal bases a record names"). */
public final class LegalBasis {
    public static final String CONSENT = "consent";
    /** The school's legal task: its care policy and the pupil guidance decree. */
    public static final String LEGAL_TASK = "legal-task";
    public static final String VITAL_INTEREST = "vital-interest";
    public static final String COURT_ORDER = "court-order";
    /** A duty the law puts on the school: the right of access (T4), retention (A5). */
    public static final String LEGAL_OBLIGATION = "legal-obligation";
    /** The accountability duty itself (A1-A3): the DPO reading the trail. */
    public static final String ACCOUNTABILITY = "accountability";

    private LegalBasis() {
    }
}
