package be.needtoknow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tables of a Markdown document that tests run (docs/authorization-matrix.md,
 * docs/entitlements.md): each with the heading it sits under, its header and its rows, each row
 * with its line number, so that whatever a test refuses in the document is named by file and line.
 * Written here because the documents are the tests' input and only this much of Markdown is used.
 */
public final class MarkdownTables {

    /** A line of a table: its number in the file (from 1) and its cells, trimmed. */
    public record Line(int number, List<String> cells) {
    }

    /** A table: the nearest heading above it (null if none), its header line and its rows. */
    public record Table(String heading, Line header, List<Line> rows) {
    }

    private final Path file;
    private final List<String> lines;
    private final List<Table> tables;

    private MarkdownTables(Path file, List<String> lines, List<Table> tables) {
        this.file = file;
        this.lines = lines;
        this.tables = tables;
    }

    /**
     * Reads the document; a table whose header is not followed by a separator line with as many
     * cells is refused, naming the line.
     *
     * @param what what the document is, for the message when it cannot be read
     */
    public static MarkdownTables read(Path file, String what) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the " + what + " " + file.toAbsolutePath().normalize(), e);
        }
        List<Table> tables = new ArrayList<>();
        MarkdownTables document = new MarkdownTables(file, lines, tables);
        String heading = null;
        int i = 0;
        while (i < lines.size()) {
            String text = lines.get(i).strip();
            if (text.startsWith("#")) {
                heading = text.replaceFirst("^#+", "").strip();
            }
            if (!text.startsWith("|")) {
                i++;
                continue;
            }
            Line header = new Line(++i, cells(text));
            if (i == lines.size() || !isSeparator(lines.get(i), header.cells().size())) {
                throw document.atLine(header.number(), "a table's header must be followed by a separator line with as "
                        + "many cells (|---|---|)");
            }
            i++;
            List<Line> rows = new ArrayList<>();
            while (i < lines.size() && lines.get(i).strip().startsWith("|")) {
                rows.add(new Line(i + 1, cells(lines.get(i).strip())));
                i++;
            }
            tables.add(new Table(heading, header, rows));
        }
        return document;
    }

    public List<Table> tables() {
        return tables;
    }

    /** A refusal of the document, naming the file, the line and what stands there. */
    public IllegalArgumentException atLine(int number, String problem) {
        return new IllegalArgumentException(file + ":" + number + ": " + problem + "\n    " + lines.get(number - 1).strip());
    }

    /** A refusal of the document as a whole. */
    public IllegalArgumentException whole(String problem) {
        return new IllegalArgumentException(file + ": " + problem);
    }

    /** The cells of a table line, without its outer pipes, trimmed. */
    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.startsWith("|") ? inner.substring(1) : inner;
        inner = inner.endsWith("|") ? inner.substring(0, inner.length() - 1) : inner;
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static boolean isSeparator(String line, int columns) {
        List<String> cells = cells(line);
        return line.strip().startsWith("|") && cells.size() == columns && cells.stream().allMatch(c -> c.matches(":?-+:?"));
    }
}
