package be.needtoknow.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The witness's state, in a directory of its own:
 * <ul>
 * <li>{@code checkpoints/<origin>.checkpoint}: per origin, the latest checkpoint it cosigned, as a
 * signed note: the log's verified signature line(s) and the witness's own cosignature line. It is
 * replaced atomically (a temporary file in the same directory, fsync, rename, fsync of the
 * directory), so after a crash it holds either the old or the new checkpoint, never a mix;</li>
 * <li>{@code refused/}: the request bodies of refused checkpoints that the log had validly signed
 * (evidence of a log that forked, shrank or cannot prove consistency), one file each.</li>
 * </ul>
 * In file names, the origin is kept as is except for bytes outside {@code [A-Za-z0-9._-]}, which are
 * written {@code %XX}. Everything is read once at start; afterwards this class is the only writer.
 */
final class CheckpointStore {

    /** The latest cosigned checkpoint of an origin and the signed note kept for it. */
    record Entry(Checkpoint checkpoint, String note) {
    }

    private static final String SUFFIX = ".checkpoint";
    private static final DateTimeFormatter EVIDENCE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path checkpoints;
    private final Path refused;
    private final Map<String, Entry> latest = new ConcurrentHashMap<>();
    private final AtomicLong evidenceSequence = new AtomicLong();

    private CheckpointStore(Path checkpoints, Path refused) {
        this.checkpoints = checkpoints;
        this.refused = refused;
    }

    /** Opens (creating if needed) the storage directory and reads every kept checkpoint; a damaged one stops the start. */
    static CheckpointStore open(Path directory) throws IOException {
        Path checkpoints = directory.resolve("checkpoints");
        Path refused = directory.resolve("refused");
        Files.createDirectories(checkpoints);
        Files.createDirectories(refused);
        CheckpointStore store = new CheckpointStore(checkpoints, refused);
        Map<String, Entry> read = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpoints)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".tmp-")) {
                    Files.delete(file); // an interrupted write: the old file is still in place
                    continue;
                }
                if (!fileName.endsWith(SUFFIX)) {
                    continue;
                }
                Entry entry;
                try {
                    String note = utf8(Files.readAllBytes(file));
                    entry = new Entry(Checkpoint.parse(SignedNote.parse(note).text()), note);
                } catch (IllegalArgumentException e) {
                    throw new IOException("The kept checkpoint " + file + " cannot be read: " + e.getMessage()
                            + ". Restore it from a backup; the witness does not start without its state.");
                }
                if (!fileName.equals(fileName(entry.checkpoint().origin()))) {
                    throw new IOException("The kept checkpoint " + file + " is not of the origin its name says.");
                }
                read.put(entry.checkpoint().origin(), entry);
            }
        }
        store.latest.putAll(read);
        return store;
    }

    Optional<Entry> latest(String origin) {
        return Optional.ofNullable(latest.get(origin));
    }

    /** Writes the new latest checkpoint of its origin durably, then makes it the one in memory. */
    void save(Checkpoint checkpoint, String note) throws IOException {
        writeAtomically(checkpoints, fileName(checkpoint.origin()), note.getBytes(StandardCharsets.UTF_8));
        latest.put(checkpoint.origin(), new Entry(checkpoint, note));
    }

    /** Keeps a refused request's body; returns the file. */
    Path keepRefused(String origin, String reason, byte[] body) {
        String name = EVIDENCE_TIME.format(Instant.now()) + "-" + evidenceSequence.incrementAndGet() + "-"
                + encode(origin) + "-" + reason + ".txt";
        try {
            return writeAtomically(refused, name, body);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the refused checkpoint as evidence", e);
        }
    }

    Path refusedDirectory() {
        return refused;
    }

    static String fileName(String origin) {
        return encode(origin) + SUFFIX;
    }

    private static String encode(String origin) {
        StringBuilder name = new StringBuilder();
        for (byte b : origin.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_') {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        String encoded = name.toString();
        // "." and ".." are no file names of their own
        return encoded.replaceAll("^\\.", "%2E");
    }

    private static Path writeAtomically(Path directory, String name, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(directory, ".tmp-", ".part");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Path target = directory.resolve(name);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
            return target;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the rename durable (Linux and macOS allow fsync on a directory; elsewhere it is skipped). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform
        }
    }

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
    }
}
