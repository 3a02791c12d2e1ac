package be.needtoknow.stack;

import java.util.List;

/**
 * A witness of the audit log as the stack runs it: the party that runs it (its directory under
 * {@code $NTK_HOME/witnesses/}), what the summary calls it, its key name and its port.
 */
public record WitnessSpec(String party, String description, String name, int port) {

    /** Two parties other than the log's operator: CLB Gent and the school board. */
    public static List<WitnessSpec> defaults() {
        return List.of(
                new WitnessSpec("clb-gent", "CLB Gent", "witness.clb-gent.example", 8091),
                new WitnessSpec("school-board", "the school board", "witness.school-board.example", 8092));
    }

    public WitnessSpec withPort(int newPort) {
        return new WitnessSpec(party, description, name, newPort);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
