package be.needtoknow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A2: the run command's witnesses of the audit log (witness): two parties, each with its own
 * process, key and storage, trusting the log's public development key only.
 */
class WitnessesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path home;

    /** The constant the witnesses trust is the verifier key of audit-service's development signer key, for its origin. */
    @Test
    void a2_theWitnessesTrustTheVerifierKeyOfTheLogsDevelopmentKey() throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                repository().resolve("audit-service/src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        assertEquals(Witnesses.LOG_ORIGIN, properties.getProperty("ntk.audit.origin"));
        String[] signerKey = properties.getProperty("%local.ntk.audit.checkpoint.signing-key").split("\\+", 5);
        byte[] typedSeed = Base64.getDecoder().decode(signerKey[4]);
        assertEquals(0x01, typedSeed[0], "an Ed25519 note key");
        byte[] publicKey = publicKeyOf(Arrays.copyOfRange(typedSeed, 1, 33));
        byte[] typedPublicKey = new byte[33];
        typedPublicKey[0] = 0x01;
        System.arraycopy(publicKey, 0, typedPublicKey, 1, 32);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((signerKey[2] + "\n").getBytes(StandardCharsets.UTF_8));
        String keyId = HexFormat.of().formatHex(Arrays.copyOf(sha256.digest(typedPublicKey), 4));
        assertEquals(signerKey[2] + "+" + keyId + "+" + Base64.getEncoder().encodeToString(typedPublicKey),
                Witnesses.DEV_LOG_VERIFIER_KEY);
        assertTrue(Witnesses.DEV_LOG_VERIFIER_KEY.startsWith("dev-only."), "a public development key");
    }

    @Test
    void a2_twoPartiesWitnessesStartWithTheirOwnKeysKeptForTheNextStart() throws Exception {
        List<WitnessSpec> specs = WitnessSpec.defaults().stream().map(w -> w.withPort(Ports.free())).toList();
        Path program = Path.of(be.needtoknow.witness.Witness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> keys;
        try (Witnesses witnesses = Witnesses.start(specs, program, home, home.resolve("logs"))) {
            witnesses.awaitReady(Duration.ofSeconds(60));
            keys = witnesses.running().stream().map(Witnesses.Running::verifierKey).toList();
            assertEquals(2, keys.size());
            assertNotEquals(keys.get(0), keys.get(1), "each party its own key");
            for (Witnesses.Running witness : witnesses.running()) {
                assertTrue(witness.verifierKey().matches(witness.spec().name().replace(".", "\\.")
                        + "\\+[0-9a-f]{8}\\+BA?[A-Za-z0-9+/]{42,43}"), witness.verifierKey());
                Path directory = Witnesses.directory(home, witness.spec());
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(directory.resolve("signer-key"))));
                assertEquals(404, get(witness.url() + "/checkpoint?origin=" + Witnesses.LOG_ORIGIN),
                        "nothing cosigned yet");
                String commandLine = ProcessHandle.of(witness.process().pid()).orElseThrow().info().commandLine().orElse("");
                assertFalse(commandLine.contains("PRIVATE"), "no key on the command line");
                assertTrue(commandLine.contains(home.toString()), "marked as this suite's");
            }
            assertEquals(specs.get(0).url() + " " + keys.get(0) + "," + specs.get(1).url() + " " + keys.get(1),
                    witnesses.auditEnvironment().get("NTK_AUDIT_WITNESSES"));
            assertEquals("2", witnesses.auditEnvironment().get("NTK_AUDIT_WITNESS_QUORUM"));
        }
        try (Witnesses again = Witnesses.start(specs, program, home, home.resolve("logs"))) {
            again.awaitReady(Duration.ofSeconds(60));
            assertEquals(keys, again.running().stream().map(Witnesses.Running::verifierKey).toList(), "the kept keys");
            List<ChildProcess> processes = again.running().stream().map(Witnesses.Running::process).toList();
            again.close();
            processes.forEach(p -> assertFalse(p.isAlive(), p.name() + " stopped"));
        }
    }

    private static int get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The public key of an Ed25519 seed: the JDK generates the pair from a source that yields the seed. */
    private static byte[] publicKeyOf(byte[] seed) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        KeyPair pair = generator.generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("audit-service/src/main/resources/application.properties"))) {
                return dir;
            }
        }
        throw new IllegalStateException("audit-service not found above " + Path.of("").toAbsolutePath());
    }
}
