package be.needtoknow.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table a benchmark prints: figure | value | samples | reference | ratio | target | met?,
 * in sections; optionally also as CSV, one line per row, for comparing runs.
 */
final class Table {

    private static final String[] HEADER = { "figure", "value", "samples", "reference", "ratio", "target", "met?" };

    private final List<String[]> rows = new ArrayList<>();

    void section(String title) {
        rows.add(new String[] { title });
    }

    /** A row; {@code samples} is the number of measurements a latency or rate is made of ("" where it does not apply). */
    void row(String figure, String value, String samples, String reference, String ratio, String target, String met) {
        rows.add(new String[] { figure, value, samples, reference, ratio, target, met });
    }

    void row(String figure, String value, String reference, String ratio, String target, String met) {
        row(figure, value, "", reference, ratio, target, met);
    }

    void row(String figure, String value) {
        row(figure, value, "", "", "", "", "");
    }

    void print(PrintStream out) {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (String[] row : rows) {
            if (row.length == HEADER.length) {
                for (int i = 0; i < row.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
        }
        line(out, HEADER, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (String[] row : rows) {
            if (row.length == 1) {
                out.println(row[0]);
            } else {
                line(out, row, width);
            }
        }
    }

    /**
     * Every row as CSV (RFC 4180): section, then the columns above. Numbers lose their thousands
     * separators ("12,345" → "12345"); a cell of several figures keeps them apart with " / ".
     */
    void csv(Path file, String run) throws IOException {
        StringBuilder s = new StringBuilder("run,section");
        for (String h : HEADER) {
            s.append(',').append(h);
        }
        s.append('\n');
        String section = "";
        for (String[] row : rows) {
            if (row.length == 1) {
                section = row[0];
                continue;
            }
            s.append(quote(run)).append(',').append(quote(section));
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? row[i] : row[i].replaceAll("(?<=\\d),(?=\\d{3})", "");
                s.append(',').append(quote(cell));
            }
            s.append('\n');
        }
        Files.writeString(file, s, StandardCharsets.UTF_8);
    }

    private static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") ? "\"" + cell.replace("\"", "\"\"") + "\""
                : cell;
    }

    private static void line(PrintStream out, String[] cells, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            // Text on the left, figures on the right.
            s.append(i == 0 ? "" : " | ").append(i == 0 || i == 3 || i == 5 ? cell + pad : pad + cell);
        }
        out.println(s.toString().stripTrailing());
    }

    /** A count or a rate: 12,345. */
    static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** Milliseconds or seconds, with the precision their size deserves. */
    static String time(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%,.0f", v);
    }

    static String times(double p50, double p99) {
        return time(p50) + " / " + time(p99);
    }

    static String times(double p50, double p99, double p999) {
        return time(p50) + " / " + time(p99) + " / " + time(p999);
    }

    /** A ratio: value ÷ reference. */
    static String ratio(double value, double reference) {
        if (!(reference > 0) || Double.isNaN(value)) {
            return "";
        }
        double r = value / reference;
        return String.format(Locale.ROOT, r < 0.1 ? "%.3f" : r < 100 ? "%.2f" : "%,.0f", r);
    }

    static String ratios(double p50, double p99, double ref50, double ref99) {
        return ratio(p50, ref50) + " / " + ratio(p99, ref99);
    }

    static String met(boolean met) {
        return met ? "yes" : "NO";
    }
}
