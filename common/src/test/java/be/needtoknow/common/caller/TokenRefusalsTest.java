package be.needtoknow.common.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import io.quarkus.security.AuthenticationFailedException;

/** A1: the reason an audit record gives for a refused authentication, from the verifier's codes only. */
class TokenRefusalsTest {

    private static AuthenticationFailedException failed(int code) {
        return new AuthenticationFailedException(new InvalidJwtException("claims of the token, never quoted",
                List.of(new ErrorCodeValidator.Error(code, "detail")), null));
    }

    private static AuthenticationFailedException failedBy(Exception cause) {
        return new AuthenticationFailedException(new InvalidJwtException("claims of the token, never quoted",
                new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS, "detail"), cause, null));
    }

    @Test
    void eachKindOfBadTokenHasItsReason() {
        assertEquals("not authenticated: no token", TokenRefusals.reason(null, false));
        assertEquals("not authenticated: token expired", TokenRefusals.reason(failed(ErrorCodes.EXPIRED), true));
        assertEquals("not authenticated: token not yet valid", TokenRefusals.reason(failed(ErrorCodes.NOT_YET_VALID), true));
        assertEquals("not authenticated: token not yet valid",
                TokenRefusals.reason(failed(ErrorCodes.ISSUED_AT_INVALID_FUTURE), true));
        assertEquals("not authenticated: token of another issuer", TokenRefusals.reason(failed(ErrorCodes.ISSUER_INVALID), true));
        assertEquals("not authenticated: token for another audience",
                TokenRefusals.reason(failed(ErrorCodes.AUDIENCE_INVALID), true));
        assertEquals("not authenticated: token for another audience",
                TokenRefusals.reason(failed(ErrorCodes.AUDIENCE_MISSING), true));
        assertEquals("not authenticated: invalid signature", TokenRefusals.reason(failed(ErrorCodes.SIGNATURE_INVALID), true));
        assertEquals("not authenticated: unsigned token or algorithm not allowed",
                TokenRefusals.reason(failedBy(new InvalidAlgorithmException("none")), true));
        assertEquals("not authenticated: malformed token", TokenRefusals.reason(failedBy(new JoseException("x")), true));
    }

    @Test
    void anythingElseIsAnInvalidToken() {
        assertEquals("not authenticated: invalid token", TokenRefusals.reason(new AuthenticationFailedException(), true));
        assertEquals("not authenticated: invalid token", TokenRefusals.reason(failed(ErrorCodes.SUBJECT_MISSING), true));
    }
}
