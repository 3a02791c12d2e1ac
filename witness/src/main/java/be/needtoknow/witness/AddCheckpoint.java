package be.needtoknow.witness;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code add-checkpoint} call of C2SP tlog-witness, apart from HTTP. In the spec's order:
 * a malformed body is 400; an unknown origin 404; no valid signature of a log key trusted for that
 * origin 403 (lines of unknown keys are ignored; a line of a trusted key that does not verify fails
 * the note); an old size above the checkpoint's 400; an old size that is not the size this witness
 * last cosigned for the origin (0 if none) 409 with that size as {@code text/x.tlog.size}; a
 * consistency proof that does not verify 422; the same size with another root hash 409 (a fork).
 * Otherwise the checkpoint is kept, durably, and only then answered with the cosignature. Checking
 * and keeping are one step per origin (a lock), so two racing requests cannot roll the state back.
 * <p>
 * A refused checkpoint that the log did sign validly, and that shows the log misbehaving, is an
 * alarm: one line starting {@code ALARM} (the origin, the sizes, the reason) and the request body
 * kept under the storage's {@code refused/}. That is a checkpoint smaller than the one cosigned
 * (records lost), another root hash for the cosigned size (a fork), or a proof that does not
 * verify. A 409 because the log is merely behind (its old size below the witness's, the checkpoint
 * not smaller) is the protocol's normal catch-up and no alarm.
 */
final class AddCheckpoint {

    /** An answer: status, content type and body. */
    record Answer(int status, String contentType, String body) {
        static Answer text(int status, String message) {
            return new Answer(status, Witness.TEXT, message + "\n");
        }
    }

    static final String SIZE_TYPE = "text/x.tlog.size";
    static final int MAX_PROOF_LINES = 63;

    private enum Misbehaviour {
        SMALLER("smaller", "the log signed a checkpoint smaller than the one this witness cosigned: it lost or removed records, or sent an old checkpoint again"),
        FORK("fork", "the log signed another root hash for the size this witness cosigned: a fork of the log"),
        BAD_PROOF("bad-proof", "the consistency proof does not verify: the checkpoint is not shown to extend the one this witness cosigned");

        final String code;
        final String reason;

        Misbehaviour(String code, String reason) {
            this.code = code;
            this.reason = reason;
        }
    }

    /** The request body: the old size, the proof's hashes and the signed checkpoint. */
    record Request(long oldSize, List<byte[]> proof, String note) {

        static Request parse(String body) {
            int end = body.indexOf('\n');
            if (end < 0 || !body.startsWith("old ")) {
                throw new IllegalArgumentException("the body begins with the line old <size>");
            }
            long oldSize = Strict.decimal(body.substring(4, end));
            List<byte[]> proof = new ArrayList<>();
            int start = end + 1;
            while (true) {
                end = body.indexOf('\n', start);
                if (end < 0) {
                    throw new IllegalArgumentException("the proof ends with an empty line");
                }
                String line = body.substring(start, end);
                start = end + 1;
                if (line.isEmpty()) {
                    break;
                }
                if (proof.size() == MAX_PROOF_LINES) {
                    throw new IllegalArgumentException("a consistency proof has at most 63 lines");
                }
                byte[] hash = Strict.base64(line);
                if (hash.length != 32) {
                    throw new IllegalArgumentException("a proof line is a 32-byte hash in base64");
                }
                proof.add(hash);
            }
            return new Request(oldSize, List.copyOf(proof), body.substring(start));
        }
    }

    private final CosignerKey key;
    private final Map<String, List<LogKey>> trusted;
    private final Map<String, ReentrantLock> locks;
    private final CheckpointStore store;
    private final Consumer<String> log;
    private final Clock clock;

    AddCheckpoint(CosignerKey key, Map<String, List<LogKey>> trusted, CheckpointStore store, Consumer<String> log,
            Clock clock) {
        this.key = key;
        this.trusted = Map.copyOf(trusted);
        this.locks = trusted.keySet().stream().collect(Collectors.toUnmodifiableMap(o -> o, o -> new ReentrantLock()));
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    Answer handle(byte[] bytes) {
        Request request;
        SignedNote note;
        Checkpoint checkpoint;
        try {
            request = Request.parse(CheckpointStore.utf8(bytes));
            note = SignedNote.parse(request.note());
            checkpoint = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return Answer.text(400, "malformed request: " + e.getMessage());
        }
        List<LogKey> keys = trusted.get(checkpoint.origin());
        if (keys == null) {
            return Answer.text(404, "unknown log origin");
        }
        List<String> logSignatures = verifiedSignatures(note, keys);
        if (logSignatures.isEmpty()) {
            return Answer.text(403, "no valid signature of a key this witness trusts for the origin");
        }
        ReentrantLock lock = locks.get(checkpoint.origin());
        lock.lock();
        try {
            return decide(request, checkpoint, logSignatures, bytes);
        } finally {
            lock.unlock();
        }
    }

    /** The log's signature lines that verify; none when any line of a trusted key fails. */
    private static List<String> verifiedSignatures(SignedNote note, List<LogKey> keys) {
        List<String> verified = new ArrayList<>();
        for (SignedNote.SignatureLine line : note.signatures()) {
            for (LogKey logKey : keys) {
                if (logKey.names(line)) {
                    if (!logKey.verifies(line, note.text())) {
                        return List.of();
                    }
                    verified.add(line.line());
                }
            }
        }
        return verified;
    }

    /** Under the origin's lock: compare with the kept state, then keep and cosign, or refuse. */
    private Answer decide(Request request, Checkpoint checkpoint, List<String> logSignatures, byte[] body) {
        var kept = store.latest(checkpoint.origin());
        long keptSize = kept.map(e -> e.checkpoint().size()).orElse(0L);
        byte[] keptRoot = kept.map(e -> e.checkpoint().rootHash()).orElse(Consistency.EMPTY_ROOT);
        long oldSize = request.oldSize();
        long size = checkpoint.size();
        Misbehaviour seen = null;
        if (size < keptSize) {
            seen = Misbehaviour.SMALLER;
        } else if (size == keptSize && !Arrays.equals(keptRoot, checkpoint.rootHash())) {
            seen = Misbehaviour.FORK;
        }
        Answer answer;
        if (oldSize > size) {
            answer = Answer.text(400, "the old size is larger than the checkpoint's size");
        } else if (oldSize != keptSize) {
            answer = new Answer(409, SIZE_TYPE, keptSize + "\n");
        } else if (oldSize == size && !request.proof().isEmpty()) {
            seen = Misbehaviour.BAD_PROOF;
            answer = Answer.text(422, "the consistency proof between equal sizes is empty");
        } else if (oldSize == size && seen == Misbehaviour.FORK) {
            answer = Answer.text(409, "the checkpoint has another root hash than the one cosigned at this size");
        } else if (!Consistency.verify(oldSize, size, keptRoot, checkpoint.rootHash(), request.proof())) {
            seen = Misbehaviour.BAD_PROOF;
            answer = Answer.text(422, "the consistency proof does not verify");
        } else {
            return cosign(checkpoint, logSignatures);
        }
        if (seen != null) {
            log.accept("ALARM origin=" + checkpoint.origin() + " cosigned-size=" + keptSize + " checkpoint-size=" + size
                    + " old-size=" + oldSize + " status=" + answer.status() + " reason=" + seen.reason);
            try {
                store.keepRefused(checkpoint.origin(), seen.code, body);
            } catch (RuntimeException e) {
                log.accept("The refused checkpoint could not be kept as evidence under " + store.refusedDirectory()
                        + ": " + e.getMessage());
            }
        }
        return answer;
    }

    private Answer cosign(Checkpoint checkpoint, List<String> logSignatures) {
        long timestamp = clock.instant().getEpochSecond();
        String cosignature = key.cosign(checkpoint.text(), timestamp);
        String note = checkpoint.text() + "\n" + String.join("\n", logSignatures) + "\n" + cosignature;
        try {
            store.save(checkpoint, note);
        } catch (IOException e) {
            log.accept("Could not keep the checkpoint of " + checkpoint.origin() + " (size " + checkpoint.size()
                    + "), so it is not cosigned: " + e.getMessage());
            return Answer.text(500, "the witness could not keep the checkpoint; it is not cosigned");
        }
        log.accept("cosigned origin=" + checkpoint.origin() + " size=" + checkpoint.size());
        return new Answer(200, Witness.TEXT, cosignature);
    }
}
