package be.needtoknow.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * After a crash of the launcher, its child processes may still run. Their pids were written at
 * start; a pid is only stopped if its command line still names this suite's state directory, so a
 * recycled pid of somebody else's process is never touched.
 */
final class Leftovers {

    private Leftovers() {
    }

    static void stop(Path pidFile, Path home) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.trim()))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
                    .ifPresent(Leftovers::stop);
        }
        Files.delete(pidFile);
    }

    private static void stop(ProcessHandle process) {
        System.err.println("Stopping a leftover process of an earlier run: " + process.pid());
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
