package be.needtoknow.common.caller;

/**
 * Who made a request that was refused before a {@link Caller} could be made of it (A1): anyone
 * without a valid token ({@link #ANONYMOUS}), or the holder of a verified token that names no
 * organisation. Only a verified token is believed: an expired, forged or tampered one names nobody.
 */
public record UnidentifiedCaller(String subject, String username, String role) {

    /** The username of whoever made a request without a valid token, as the audit records name them. */
    public static final String ANONYMOUS_USERNAME = "anonymous";

    public static final UnidentifiedCaller ANONYMOUS = new UnidentifiedCaller(null, ANONYMOUS_USERNAME, "none");
}
