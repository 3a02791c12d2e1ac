package be.needtoknow.common.caller;

/**
 * A request refused before its caller is known: without a token, or with a verified token that
 * names no usable organisation. It says only who and why: the problem mappers answer it (401 or
 * 403) and audit it (A1) against the endpoint it tried, so that knowing who calls depends neither
 * on how a refusal is answered nor on how it is audited.
 */
public class CallerRefusedException extends RuntimeException {

    /** Why no caller could be made of the request. */
    public enum Why {
        /** No token: answered 401. */
        NOT_AUTHENTICATED,
        /** A verified token whose organisation claim is missing or unusable: answered 403. */
        NO_ORGANISATION
    }

    private final Why why;
    private final transient UnidentifiedCaller who;
    private final String detail;
    private final String reason;

    private CallerRefusedException(Why why, UnidentifiedCaller who, String detail, String reason) {
        super(reason, null, false, false);
        this.why = why;
        this.who = who;
        this.detail = detail;
        this.reason = reason;
    }

    /** No token: nobody is known. */
    public static CallerRefusedException notAuthenticated(String reason) {
        return new CallerRefusedException(Why.NOT_AUTHENTICATED, UnidentifiedCaller.ANONYMOUS, null, reason);
    }

    /**
     * A verified token whose organisation claim is missing or unusable.
     *
     * @param detail what the caller is told
     * @param reason what the audit record says
     */
    public static CallerRefusedException withoutOrganisation(UnidentifiedCaller who, String detail, String reason) {
        return new CallerRefusedException(Why.NO_ORGANISATION, who, detail, reason);
    }

    public Why why() {
        return why;
    }

    public UnidentifiedCaller who() {
        return who;
    }

    /** What the caller is told of a token without an organisation; null for a request without a token. */
    public String detail() {
        return detail;
    }

    /** Why, for the audit record; never the token. */
    public String reason() {
        return reason;
    }
}
