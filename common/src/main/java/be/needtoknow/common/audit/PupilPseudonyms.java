package be.needtoknow.common.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keyed pupil pseudonyms of the audit trail: HMAC-SHA-256 with one deployment
 * secret over the organisation id and the school-scoped pupil id. The same pupil always maps to
 * the same pseudonym, so the DPO can search by pupil, while the audit trail and the audit topic
 * hold no direct identifier.
 */
@ApplicationScoped
public class PupilPseudonyms {

    private final SecretKeySpec key;

    @Inject
    public PupilPseudonyms(@ConfigProperty(name = "ntk.pseudonym.key") String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Hex HMAC-SHA-256 of {@code organisationId + "\n" + pupilId}. */
    public String of(String organisationId, String pupilId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((organisationId + "\n" + pupilId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
