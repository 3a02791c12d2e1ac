package be.needtoknow.common.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A link is its record's id and a secret whose hash alone is kept (the parents' and pupil's links: X, T4). */
class LinkSecretsTest {

    @Test
    void theSecretOfALinkOpensIt_anyOtherDoesNot() {
        UUID id = UUID.randomUUID();
        String secret = LinkSecrets.newSecret();
        String kept = LinkSecrets.hash(secret);
        assertNotEquals(secret, kept, "the secret itself is never kept");
        LinkSecrets.Presented presented = LinkSecrets.Presented.of(LinkSecrets.link(id, secret));
        assertEquals(Optional.of(id), presented.id());
        assertTrue(presented.matches(kept));
        assertFalse(LinkSecrets.Presented.of(id + "." + secret.substring(1)).matches(kept));
        assertFalse(LinkSecrets.Presented.of(id.toString()).matches(kept), "a link without its secret");
        assertEquals(Optional.empty(), LinkSecrets.Presented.of("not-an-id." + secret).id());
        assertNotEquals(secret, LinkSecrets.newSecret(), "each link its own secret");
        assertEquals(43, secret.length(), "32 random bytes, base64url without padding");
    }
}
