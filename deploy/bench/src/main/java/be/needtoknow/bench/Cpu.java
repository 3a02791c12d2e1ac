package be.needtoknow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the processor time of a phase went (Linux, /proc): the cores each part of the suite used
 * on average, and what the rest of the machine used meanwhile — a busy machine shows here.
 */
final class Cpu {

    /** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    /** The parts to account for: a name and how to find its processes now (a process and its descendants). */
    private final Map<String, Supplier<List<Long>>> parts;

    private Cpu(Map<String, Supplier<List<Long>>> parts) {
        this.parts = parts;
    }

    static Cpu of(Map<String, Supplier<List<Long>>> parts) {
        return new Cpu(new LinkedHashMap<>(parts));
    }

    /** A process and every process it started, as they are now. */
    static List<Long> tree(long pid) {
        return ProcessHandle.of(pid).map(p -> Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    /** The ticks of each process of each part, and of the whole machine. */
    record Snapshot(long at, Map<String, Map<Long, Long>> parts, long machineBusy) {
    }

    Snapshot take() {
        Map<String, Map<Long, Long>> ticks = new LinkedHashMap<>();
        parts.forEach((name, pids) -> {
            Map<Long, Long> of = new HashMap<>();
            for (long pid : pids.get()) {
                long t = ticks(pid);
                if (t >= 0) {
                    of.put(pid, t);
                }
            }
            ticks.put(name, of);
        });
        return new Snapshot(System.nanoTime(), ticks, machineBusy());
    }

    /**
     * The cores each part used on average between two snapshots ("other processes": the rest of the
     * machine). A process that ended meanwhile is not counted; one that started is counted from 0.
     */
    static Map<String, Double> cores(Snapshot from, Snapshot to) {
        double seconds = (to.at() - from.at()) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        long ours = 0;
        for (Map.Entry<String, Map<Long, Long>> part : to.parts().entrySet()) {
            Map<Long, Long> before = from.parts().getOrDefault(part.getKey(), Map.of());
            long used = 0;
            for (Map.Entry<Long, Long> p : part.getValue().entrySet()) {
                used += Math.max(0, p.getValue() - before.getOrDefault(p.getKey(), 0L));
            }
            ours += used;
            cores.put(part.getKey(), used / TICKS / seconds);
        }
        if (from.machineBusy() >= 0 && to.machineBusy() >= 0) {
            cores.put("other processes", Math.max(0, to.machineBusy() - from.machineBusy() - ours) / TICKS / seconds);
        }
        return cores;
    }

    /** utime + stime of a process and the reaped children it waited for (cutime + cstime); -1 when gone. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: the fields after it start after its ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's busy ticks, all cores (/proc/stat: user, nice, system, irq, softirq, steal); -1 without /proc. */
    private static long machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
