package be.needtoknow.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A2: the witness's keys are C2SP signed-note keys of a timestamped cosigner (type 0x04), and the
 * log keys it trusts are Ed25519 note keys (type 0x01) whose key id must match.
 */
class KeysTest {

    @Test
    void a2_generateKeyPrintsASignerKeyAndItsVerifierKey() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Witness.run(new String[] { "generate-key", "witness.clb-gent.example" },
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        String[] signer = lines.get(0).split("\\+", 5);
        String[] verifier = lines.get(1).split("\\+", 3);
        assertEquals(List.of("PRIVATE", "KEY", "witness.clb-gent.example"), List.of(signer).subList(0, 3));
        assertEquals("witness.clb-gent.example", verifier[0]);
        assertEquals(signer[3], verifier[1], "the same key id");
        byte[] seed = Base64.getDecoder().decode(signer[4]);
        byte[] publicKey = Base64.getDecoder().decode(verifier[2]);
        assertEquals(33, seed.length);
        assertEquals(0x04, seed[0]);
        assertEquals(33, publicKey.length);
        assertEquals(0x04, publicKey[0]);
        byte[] keyId = Arrays.copyOf(TestLog.sha256(TestLog.concat("witness.clb-gent.example\n".getBytes(StandardCharsets.UTF_8),
                publicKey)), 4);
        assertEquals(HexFormat.of().formatHex(keyId), verifier[1], "SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]");
        assertEquals(lines.get(1), Witness.verifierKeyOf(lines.get(0)));
        assertTrue(lines.get(1).matches("witness\\.clb-gent\\.example\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}"));
    }

    @Test
    void a2_aKeyWhoseIdIsNotItsOwnOrOfAnotherTypeIsRefused() throws Exception {
        String signerKey = Witness.generateKey("test-only.witness.example");
        String[] parts = signerKey.split("\\+", 5);
        String otherId = parts[3].equals("00000000") ? "00000001" : "00000000";
        assertThrows(IllegalArgumentException.class,
                () -> CosignerKey.parse("PRIVATE+KEY+" + parts[2] + "+" + otherId + "+" + parts[4]));
        assertThrows(IllegalArgumentException.class,
                () -> CosignerKey.parse("PRIVATE+KEY+another.name+" + parts[3] + "+" + parts[4]));
        byte[] typed = Base64.getDecoder().decode(parts[4]);
        typed[0] = 0x01;
        assertThrows(IllegalArgumentException.class, () -> CosignerKey.parse("PRIVATE+KEY+" + parts[2] + "+" + parts[3] + "+"
                + Base64.getEncoder().encodeToString(typed)));
        TestLog log = new TestLog("audit.test.example", "test-only.audit.test.example");
        LogKey.parse(log.verifierKey());
        String[] vkey = log.verifierKey().split("\\+", 3);
        assertThrows(IllegalArgumentException.class, () -> LogKey.parse(vkey[0] + "+" + otherId + "+" + vkey[2]));
        // A witness's verifier key (type 0x04) is no log key.
        assertThrows(IllegalArgumentException.class, () -> LogKey.parse(Witness.verifierKeyOf(signerKey)));
        assertThrows(IllegalArgumentException.class, () -> Witness.trustedLogs(List.of(log.verifierKey())));
        assertThrows(IllegalArgumentException.class, () -> Witness.trustedLogs(List.of()));
    }

    @Test
    void a2_theDevelopmentLogKeyOfTheDocumentationIsReadAsATrustedLogKey() {
        // docs/audit-log-formats.md, section 2: the public development verifier key of the log.
        LogKey key = LogKey.parse("dev-only.audit.need-to-know.local+9f356c11+AUB1gWFQ+RRLV+Ku6LNT6Z0yMMoW+EvCJYFIJ46DQVaU");
        assertEquals("dev-only.audit.need-to-know.local", key.name());
    }
}
