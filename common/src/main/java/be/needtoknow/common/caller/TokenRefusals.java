package be.needtoknow.common.caller;

import java.util.HashSet;
import java.util.Set;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;

/**
 * Why a request was not authenticated, in a few words for its audit record (A1): read from the
 * verifier's error codes, never from its messages, which quote the token's claims. Neither the
 * token nor any part of it is ever in the reason.
 */
public final class TokenRefusals {

    static final String PREFIX = "not authenticated: ";

    private TokenRefusals() {
    }

    /**
     * @param failure     what authentication failed with (may be null)
     * @param tokenGiven  whether the request carried a bearer token at all
     */
    public static String reason(Throwable failure, boolean tokenGiven) {
        if (!tokenGiven) {
            return PREFIX + "no token";
        }
        InvalidJwtException invalid = find(failure);
        if (invalid == null) {
            return PREFIX + "invalid token";
        }
        if (invalid.hasExpired()) {
            return PREFIX + "token expired";
        }
        if (any(invalid, ErrorCodes.NOT_YET_VALID, ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return PREFIX + "token not yet valid";
        }
        if (any(invalid, ErrorCodes.ISSUER_INVALID, ErrorCodes.ISSUER_MISSING)) {
            return PREFIX + "token of another issuer";
        }
        if (any(invalid, ErrorCodes.AUDIENCE_INVALID, ErrorCodes.AUDIENCE_MISSING)) {
            return PREFIX + "token for another audience";
        }
        if (any(invalid, ErrorCodes.SIGNATURE_MISSING) || caused(invalid, InvalidAlgorithmException.class)) {
            // "alg": "none", or an algorithm the realm does not sign with.
            return PREFIX + "unsigned token or algorithm not allowed";
        }
        if (any(invalid, ErrorCodes.SIGNATURE_INVALID)) {
            return PREFIX + "invalid signature";
        }
        if (any(invalid, ErrorCodes.JSON_INVALID, ErrorCodes.MALFORMED_CLAIM) || caused(invalid, JoseException.class)) {
            return PREFIX + "malformed token";
        }
        return PREFIX + "invalid token";
    }

    private static boolean caused(Throwable failure, Class<? extends Throwable> type) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure.getCause(); t != null && seen.add(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean any(InvalidJwtException invalid, int... codes) {
        for (int code : codes) {
            if (invalid.hasErrorCode(code)) {
                return true;
            }
        }
        return false;
    }

    private static InvalidJwtException find(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
