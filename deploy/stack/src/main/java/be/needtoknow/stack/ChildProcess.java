package be.needtoknow.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server started as a child process, with its output in a log file. Closing it ends the process
 * and everything it started (a shell script that starts a JVM, say).
 */
public final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    /** System.nanoTime() just before the process was started, and when {@link #awaitHttpOk} first saw 200 (0: not yet). */
    private final long startedAt;
    private volatile long readyAt;

    private ChildProcess(String name, Process process, Path log, long startedAt) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
    }

    public static ChildProcess start(String name, List<String> command, Path workingDirectory,
            Map<String, String> environment, Path log) throws IOException {
        return start(name, command, workingDirectory, environment, log, false);
    }

    /** @param appendToLog true to keep what the log holds (a restart), false to begin it anew */
    public static ChildProcess start(String name, List<String> command, Path workingDirectory,
            Map<String, String> environment, Path log, boolean appendToLog) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(appendToLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                        : ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        long startedAt = System.nanoTime();
        return new ChildProcess(name, builder.start(), log, startedAt);
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** From the start of the process to the first 200 that {@link #awaitHttpOk} saw (empty before that). */
    public Optional<Duration> timeToReady() {
        long ready = readyAt;
        return ready == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(ready - startedAt));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the process at once (SIGKILL: no shutdown hook, no clean-up, as in a crash or an
     * out-of-memory kill) and waits until it is gone.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + name, e);
        }
    }

    /** Waits until {@code url} answers 200, failing early (with the log's tail) if the process dies. */
    public void awaitHttpOk(URI url, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + log + ":\n" + tail(30));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    if (readyAt == 0) {
                        readyAt = System.nanoTime();
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(100); // polling a process that has no readiness callback
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " was not ready at " + url + " within " + timeout.toSeconds()
                + " s; last lines of " + log + ":\n" + tail(30));
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            try {
                child.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }
}
