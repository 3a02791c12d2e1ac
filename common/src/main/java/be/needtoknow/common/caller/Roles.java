package be.needtoknow.common.caller;

/**
 * Realm roles of deploy/keycloak/realm.json, one per party of docs/rules.md. No role suggests a
 * confidentiality that the school cannot give (S3): there is no "trust teacher".
 */
public final class Roles {
    public static final String TEACHER = "teacher";
    public static final String PUPIL_COUNSELLOR = "pupil-counsellor";
    public static final String CARE_COORDINATOR = "care-coordinator";
    public static final String PRINCIPAL = "principal";
    public static final String DISCIPLINE = "discipline";
    public static final String CLB_WORKER = "clb-worker";
    public static final String YOUTH_CARE_WORKER = "youth-care-worker";
    public static final String DPO = "dpo";
    /** The service account of a school's own platform (pupil import, integrations). */
    public static final String SCHOOL_SYSTEM = "school-system";
    /** The service account of a recipient's system (a CLB or an external care service). */
    public static final String RECIPIENT_SYSTEM = "recipient-system";

    /**
     * The deployment's technical operator: lists, retries and discards parked outbox events, their
     * metadata only; no pupil data.
     */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
