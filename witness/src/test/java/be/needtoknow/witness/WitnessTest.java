package be.needtoknow.witness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A2 (the trail cannot be changed unnoticed), outside the log: a witness cosigns a checkpoint only
 * if it extends the last one it cosigned, so the log cannot rewrite, shrink or fork its history
 * without the parties' witnesses refusing it. Real HTTP against a started witness, following C2SP
 * tlog-witness and tlog-cosignature; the test's log builds its own trees and proofs (RFC 6962).
 */
class WitnessTest {

    private static final String NAME = "test-only.witness.example";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path storage;

    private TestLog log;
    private String signerKey;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Witness witness;

    @BeforeEach
    void start() throws Exception {
        log = new TestLog("audit.test.example", "test-only.audit.test.example");
        signerKey = Witness.generateKey(NAME);
        witness = startWitness();
    }

    private Witness startWitness() throws IOException {
        return Witness.start(new Witness.Config(signerKey, List.of(log.trust()), storage).withLog(lines::add));
    }

    @AfterEach
    void stop() {
        witness.close();
    }

    // --- Cosigning

    @Test
    void a2_theFirstCheckpointWithOldSizeZeroIsCosignedAndTheCosignatureVerifies() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> response = post(log.request(0, 5));
        long after = Instant.now().getEpochSecond();
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        long timestamp = assertCosignature(response.body(), log.text(5));
        assertTrue(before <= timestamp && timestamp <= after, "timestamp " + timestamp + " is the time of signing");
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("ALARM")), lines.toString());
    }

    @Test
    void a2_aCheckpointThatGrowsWithAValidConsistencyProofIsCosigned() throws Exception {
        int old = 0;
        for (int size : new int[] { 1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 64, 100 }) {
            HttpResponse<String> response = post(log.request(old, size));
            assertEquals(200, response.statusCode(), old + " to " + size + ": " + response.body());
            assertCosignature(response.body(), log.text(size));
            old = size;
        }
        assertEquals(100, cosignedSize());
    }

    @Test
    void a2_theSameCheckpointAgainIsCosignedAgain() throws Exception {
        assertEquals(200, post(log.request(0, 6)).statusCode());
        HttpResponse<String> again = post(log.request(6, 6));
        assertEquals(200, again.statusCode(), again.body());
        assertCosignature(again.body(), log.text(6));
    }

    @Test
    void a2_theLatestCosignedCheckpointIsShownWithItsCosignature() throws Exception {
        HttpResponse<String> none = get("/checkpoint?origin=" + URLEncoder.encode(log.origin, StandardCharsets.UTF_8));
        assertEquals(404, none.statusCode());
        assertEquals(400, get("/checkpoint").statusCode());
        assertEquals(404, get("/checkpoint?origin=another.log.example").statusCode());
        String cosignature = post(log.request(0, 9)).body();
        HttpResponse<String> shown = get("/checkpoint?origin=" + log.origin);
        assertEquals(200, shown.statusCode());
        assertTrue(shown.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(log.checkpoint(9) + cosignature, shown.body(), "the log's signed checkpoint and the cosignature");
        assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create(witness.url() + "/add-checkpoint")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    // --- Refusals as the spec answers them

    @Test
    void a2_anUnknownOriginIs404() throws Exception {
        TestLog other = new TestLog("another.log.example", "another.log.example");
        assertEquals(404, post(other.request(0, 3)).statusCode());
        assertNoAlarm();
    }

    @Test
    void a2_aCheckpointWithoutAValidSignatureOfTheTrustedLogKeyIs403() throws Exception {
        // Signed by another key of the same name (so another key id) only: ignored, so no valid signature.
        TestLog impostor = new TestLog(log.origin, log.keyName);
        assertEquals(403, post(impostor.request(0, 3)).statusCode());
        // The trusted key's line, but over another text (a different size).
        String text = log.text(3);
        String forged = text + "\n" + log.signatureLine(log.text(4)) + "\n";
        assertEquals(403, post("old 0\n\n" + forged).statusCode());
        // A good signature and a bad one of the same trusted key: the note is refused.
        String both = text + "\n" + log.signatureLine(text) + "\n" + log.signatureLine(log.text(4)) + "\n";
        assertEquals(403, post("old 0\n\n" + both).statusCode());
        assertNoAlarm();
        assertEquals(404, get("/checkpoint?origin=" + log.origin).statusCode());
    }

    @Test
    void a2_signatureLinesOfUnknownKeysAreIgnored() throws Exception {
        TestLog stranger = new TestLog("stranger.example", "stranger.example");
        TestLog sameName = new TestLog(log.origin, log.keyName);
        String text = log.text(4);
        String note = text + "\n" + stranger.signatureLine(text) + "\n" + sameName.signatureLine(text) + "\n"
                + log.signatureLine(text) + "\n" + "\u2014 junk.example AAAAAAAA\n";
        HttpResponse<String> response = post("old 0\n\n" + note);
        assertEquals(200, response.statusCode(), response.body());
        assertCosignature(response.body(), text);
        assertEquals(log.checkpoint(4) + response.body(), get("/checkpoint?origin=" + log.origin).body(),
                "only the trusted log's signature is kept beside the cosignature");
    }

    @Test
    void a2_aMalformedRequestIs400() throws Exception {
        String checkpoint = log.checkpoint(5);
        String proof = log.proofLines(3, 5);
        List<String> malformed = new ArrayList<>(List.of(
                "",
                checkpoint,
                "old 00\n\n" + checkpoint,
                "old -1\n\n" + checkpoint,
                "old 1 \n\n" + checkpoint,
                "old x\n\n" + checkpoint,
                "Old 0\n\n" + checkpoint,
                "old 99999999999999999999\n\n" + checkpoint,
                "old 3\n" + proof + checkpoint, // no empty line after the proof
                "old 3\nnot base64!\n\n" + checkpoint,
                "old 3\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n\n" + checkpoint,
                "old 3\n" + Base64.getEncoder().withoutPadding().encodeToString(new byte[32]) + "\n\n" + checkpoint,
                "old 0\n\n" + checkpoint.substring(0, checkpoint.length() - 1), // no final newline
                "old 0\n\n" + log.text(5), // no signature
                "old 0\n\n" + checkpoint.replace("\n\n", "\n"),
                "old 0\n\n" + log.sign(log.origin + "\n05\n" + Base64.getEncoder().encodeToString(log.root(5)) + "\n"),
                "old 0\n\n" + log.sign(log.origin + "\n5\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n"),
                "old 0\n\n" + log.sign(log.origin + "\n5\n"),
                "old 0\n\n" + log.sign(log.text(5) + "\n\textension\n"),
                "old 0\n\n" + checkpoint.replace("\u2014 ", "- ")));
        malformed.add("old 3\n" + (Base64.getEncoder().encodeToString(new byte[32]) + "\n").repeat(64) + "\n" + checkpoint);
        for (String body : malformed) {
            HttpResponse<String> response = post(body);
            assertEquals(400, response.statusCode(), () -> "for " + body.replace("\n", "\\n") + ": " + response.body());
        }
        byte[] notUtf8 = ("old 0\n\n" + checkpoint).getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 5] = (byte) 0xff;
        assertEquals(400, post(notUtf8).statusCode());
        assertNoAlarm();
        assertEquals(404, get("/checkpoint?origin=" + log.origin).statusCode());
    }

    @Test
    void a2_anOldSizeLargerThanTheCheckpointIs400() throws Exception {
        assertEquals(400, post("old 6\n\n" + log.checkpoint(5)).statusCode());
        assertNoAlarm();
    }

    @Test
    void a2_anOldSizeThatIsNotTheCosignedSizeIs409WithThatSize() throws Exception {
        // Never cosigned: the witness's size is 0.
        assertSize409(post(log.request(3, 5)), 0);
        assertEquals(200, post(log.request(0, 5)).statusCode());
        // The log is behind (it thinks the witness is at 3, or at 0): normal catch-up, no alarm.
        assertSize409(post(log.request(3, 8)), 5);
        assertSize409(post(log.request(0, 5)), 5);
        // The log is ahead of the witness (7 was never cosigned): no alarm either.
        assertSize409(post(log.request(7, 9)), 5);
        assertNoAlarm();
        // The log learns the size and retries.
        assertEquals(200, post(log.request(5, 8)).statusCode());
        assertEquals(8, cosignedSize());
    }

    @Test
    void a2_aCheckpointSmallerThanTheCosignedOneIs409AndAnAlarmWithEvidence() throws Exception {
        assertEquals(200, post(log.request(0, 10)).statusCode());
        String body = log.request(4, 7);
        assertSize409(post(body), 10);
        assertAlarm("cosigned-size=10 checkpoint-size=7 old-size=4 status=409", "smaller", body);
        // The log signed a smaller tree and pretends to extend the witness's size: 400, still an alarm.
        lines.clear();
        String rolledBack = "old 10\n\n" + log.checkpoint(7);
        assertEquals(400, post(rolledBack).statusCode());
        assertAlarm("cosigned-size=10 checkpoint-size=7 old-size=10 status=400", "smaller", rolledBack);
        assertEquals(10, cosignedSize());
    }

    @Test
    void a2_aForkIs409AndAnAlarmWithEvidence() throws Exception {
        assertEquals(200, post(log.request(0, 10)).statusCode());
        byte[] otherRoot = TestLog.sha256("another history".getBytes(StandardCharsets.UTF_8));
        String body = "old 10\n\n" + log.sign(log.text(10, otherRoot));
        HttpResponse<String> response = post(body);
        assertEquals(409, response.statusCode());
        assertFalse(response.headers().firstValue("Content-Type").orElse("").startsWith(AddCheckpoint.SIZE_TYPE));
        assertAlarm("cosigned-size=10 checkpoint-size=10 old-size=10 status=409", "fork", body);
        assertEquals(10, cosignedSize());
        assertArrayEquals(log.root(10), Base64.getDecoder().decode(shownCheckpoint().split("\n")[2]));
        // The same fork sent with a wrong old size: the spec's 409 with the size, and the alarm.
        lines.clear();
        String stale = "old 3\n" + log.proofLines(3, 10) + "\n" + log.sign(log.text(10, otherRoot));
        assertSize409(post(stale), 10);
        assertAlarm("cosigned-size=10 checkpoint-size=10 old-size=3 status=409", "fork", stale);
    }

    @Test
    void a2_aConsistencyProofThatDoesNotVerifyIs422AndAnAlarmWithEvidence() throws Exception {
        assertEquals(200, post(log.request(0, 6)).statusCode());
        // A checkpoint of size 9 whose root is not an extension of the cosigned tree: its proof cannot verify.
        byte[] otherRoot = TestLog.sha256("rewritten".getBytes(StandardCharsets.UTF_8));
        String rewritten = "old 6\n" + log.proofLines(6, 9) + "\n" + log.sign(log.text(9, otherRoot));
        assertEquals(422, post(rewritten).statusCode());
        assertAlarm("cosigned-size=6 checkpoint-size=9 old-size=6 status=422", "bad-proof", rewritten);
        // A proof with one hash changed, one too few, or none.
        List<byte[]> proof = log.proof(6, 9);
        byte[] changed = proof.get(0).clone();
        changed[0] ^= 1;
        for (List<byte[]> bad : List.of(Stream.concat(Stream.of(changed), proof.stream().skip(1)).toList(),
                proof.subList(0, proof.size() - 1), List.<byte[]>of())) {
            String body = "old 6\n" + lines(bad) + "\n" + log.checkpoint(9);
            assertEquals(422, post(body).statusCode());
        }
        // With old size 0 the proof is empty; with equal sizes too.
        witness.close();
        deleteState();
        witness = startWitness();
        assertEquals(422, post("old 0\n" + log.proofLines(1, 9) + "\n" + log.checkpoint(9)).statusCode());
        assertEquals(200, post(log.request(0, 9)).statusCode());
        assertEquals(422, post("old 9\n" + log.proofLines(1, 9) + "\n" + log.checkpoint(9)).statusCode());
        assertEquals(9, cosignedSize());
        assertTrue(lines.stream().filter(l -> l.startsWith("ALARM")).allMatch(l -> l.contains("reason=the consistency proof")));
    }

    // --- State

    @Test
    void a2_theCosignedStateSurvivesARestart() throws Exception {
        assertEquals(200, post(log.request(0, 12)).statusCode());
        String shown = shownCheckpoint();
        witness.close();
        witness = startWitness();
        assertEquals(shown, shownCheckpoint());
        assertSize409(post(log.request(0, 12)), 12);
        assertEquals(200, post(log.request(12, 20)).statusCode());
        witness.close();
        witness = startWitness();
        assertEquals(20, cosignedSize());
        try (Stream<Path> files = Files.list(storage.resolve("checkpoints"))) {
            assertEquals(List.of("audit.test.example.checkpoint"), files.map(p -> p.getFileName().toString()).toList(),
                    "one file per origin and no temporary file left");
        }
    }

    @Test
    void a2_racingRequestsWithTheSameOldSizeCosignExactlyOneAndKeepIt() throws Exception {
        assertEquals(200, post(log.request(0, 4)).statusCode());
        List<String> bodies = new ArrayList<>();
        for (int size = 5; size < 5 + 16; size++) {
            bodies.add(log.request(4, size));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return post(body);
                }));
            }
            go.countDown();
            List<Long> cosigned = new ArrayList<>();
            List<HttpResponse<String>> conflicts = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get();
                if (answer.statusCode() == 200) {
                    cosigned.add(5L + i);
                } else {
                    conflicts.add(answer);
                }
            }
            assertEquals(1, cosigned.size(), "exactly one is cosigned: " + cosigned);
            assertEquals(15, conflicts.size());
            for (HttpResponse<String> conflict : conflicts) {
                assertSize409(conflict, cosigned.get(0));
            }
            assertEquals((long) cosigned.get(0), cosignedSize());
            witness.close();
            witness = startWitness();
            assertEquals((long) cosigned.get(0), cosignedSize(), "and it is the one kept");
        } finally {
            pool.shutdownNow();
        }
    }

    // --- Helpers

    /** Checks a cosignature response against the witness's verifier key, independently; returns its timestamp. */
    private long assertCosignature(String body, String noteText) throws Exception {
        assertTrue(body.startsWith("\u2014 " + NAME + " ") && body.endsWith("\n") && body.indexOf('\n') == body.length() - 1,
                "one signature line: " + body);
        byte[] signature = Base64.getDecoder().decode(body.substring(("\u2014 " + NAME + " ").length(), body.length() - 1));
        assertEquals(4 + 8 + 64, signature.length);
        String[] vkey = witness.verifierKey().split("\\+", 3);
        assertEquals(NAME, vkey[0]);
        byte[] typed = Base64.getDecoder().decode(vkey[2]);
        assertEquals(33, typed.length);
        assertEquals(0x04, typed[0], "a timestamped cosignature key, type 0x04");
        byte[] publicKey = Arrays.copyOfRange(typed, 1, 33);
        byte[] keyId = Arrays.copyOf(TestLog.sha256(TestLog.concat(NAME.getBytes(StandardCharsets.UTF_8),
                new byte[] { '\n', 0x04 }, publicKey)), 4);
        assertEquals(HexFormat.of().formatHex(keyId), vkey[1]);
        assertArrayEquals(keyId, Arrays.copyOf(signature, 4), "the line's key id");
        long timestamp = ByteBuffer.wrap(signature, 4, 8).getLong();
        byte[] message = ("cosignature/v1\ntime " + timestamp + "\n" + noteText).getBytes(StandardCharsets.UTF_8);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(TestLog.concat(
                HexFormat.of().parseHex("302a300506032b6570032100"), publicKey)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        assertTrue(verifier.verify(Arrays.copyOfRange(signature, 12, 76)), "the cosignature verifies");
        return timestamp;
    }

    private static void assertSize409(HttpResponse<String> response, long size) {
        assertEquals(409, response.statusCode(), response.body());
        assertEquals("text/x.tlog.size", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(size + "\n", response.body());
    }

    private void assertNoAlarm() throws IOException {
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("ALARM")), lines.toString());
        try (Stream<Path> files = Files.list(storage.resolve("refused"))) {
            assertEquals(0, files.count(), "no evidence kept");
        }
    }

    /** One ALARM line (origin, sizes, status, reason) and the request body kept byte for byte. */
    private void assertAlarm(String sizes, String reason, String body) throws IOException {
        List<String> alarms = lines.stream().filter(l -> l.startsWith("ALARM")).toList();
        assertEquals(1, alarms.size(), lines.toString());
        assertTrue(alarms.get(0).startsWith("ALARM origin=" + log.origin + " " + sizes + " reason="), alarms.get(0));
        try (Stream<Path> files = Files.list(storage.resolve("refused"))) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().endsWith("-" + reason + ".txt")).toList();
            assertTrue(kept.stream().anyMatch(p -> {
                try {
                    return Files.readString(p).equals(body);
                } catch (IOException e) {
                    return false;
                }
            }), "the refused body is kept in " + kept);
        }
    }

    private void deleteState() throws IOException {
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).filter(p -> !p.equals(storage)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private String shownCheckpoint() throws Exception {
        HttpResponse<String> response = get("/checkpoint?origin=" + log.origin);
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private long cosignedSize() throws Exception {
        return Long.parseLong(shownCheckpoint().split("\n")[1]);
    }

    private static String lines(List<byte[]> hashes) {
        StringBuilder out = new StringBuilder();
        hashes.forEach(h -> out.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        return out.toString();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(witness.url() + "/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(witness.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
