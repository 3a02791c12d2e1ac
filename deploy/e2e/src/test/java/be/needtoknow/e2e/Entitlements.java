package be.needtoknow.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import be.needtoknow.testing.MarkdownTables;
import be.needtoknow.testing.MarkdownTables.Line;

/**
 * The suite's entitlements, as one table in {@code docs/entitlements.md}: per party and per kind of
 * information, whether the party may obtain it, and by which rule. {@link #load} reads the file as a
 * reader sees it, or fails naming the line: the list of kinds ({@code | Kind | What | ... |}), the list
 * of parties ({@code | Party | Who | ... |}), the list of GET endpoints ({@code | Service | Endpoint |
 * ... |}) and the table ({@code | Party | <kind> | <kind> | ... |}, cells {@code yes RULE} or
 * {@code no RULE}). Any other table is prose.
 */
final class Entitlements {

    /** The file, as the tests find it: their working directory is deploy/e2e. */
    static final Path DOCUMENT = Path.of("..", "..", "docs", "entitlements.md");

    /** The rule ids a cell may name (docs/rules.md). */
    static final Set<String> RULES = Set.of("N1", "N2", "N3", "T1", "T2", "T3", "T4", "S1", "S2", "S3", "S4", "R1",
            "R2", "C1", "C2", "C3", "X", "M1", "M2", "M3", "A1", "A2", "A3", "A4", "A5");

    private static final Pattern CELL = Pattern.compile("(yes|no) ([A-Z][0-9]?)");
    private static final Pattern PARTY = Pattern.compile("[a-z][a-z0-9.:-]*");

    /** One cell: may this party obtain this kind, and by which rule. */
    record Cell(boolean obtains, String rule, int line) {
    }

    private final List<String> kinds;
    private final List<String> parties;
    private final Set<String> endpoints;
    private final Map<String, Map<String, Cell>> table;

    private Entitlements(List<String> kinds, List<String> parties, Set<String> endpoints,
            Map<String, Map<String, Cell>> table) {
        this.kinds = kinds;
        this.parties = parties;
        this.endpoints = endpoints;
        this.table = table;
    }

    List<String> kinds() {
        return kinds;
    }

    List<String> parties() {
        return parties;
    }

    /** "service GET-path", as the list of endpoints names them. */
    Set<String> endpoints() {
        return endpoints;
    }

    Cell cell(String party, String kind) {
        return table.get(party).get(kind);
    }

    /** The kinds this party may obtain. */
    Set<String> obtainable(String party) {
        Set<String> yes = new TreeSet<>();
        table.get(party).forEach((kind, cell) -> {
            if (cell.obtains()) {
                yes.add(kind);
            }
        });
        return yes;
    }

    static Entitlements load(Path file) {
        MarkdownTables document = MarkdownTables.read(file, "entitlements");
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, Integer> parties = new LinkedHashMap<>();
        Set<String> endpoints = new LinkedHashSet<>();
        MarkdownTables.Table entitlements = null;
        for (MarkdownTables.Table t : document.tables()) {
            List<String> header = t.header().cells();
            String first = header.get(0);
            if (first.equals("Kind")) {
                for (Line line : t.rows()) {
                    requireCells(document, line, header.size());
                    if (kinds.put(line.cells().get(0), line.number()) != null) {
                        throw document.atLine(line.number(), "a second entry for kind '" + line.cells().get(0) + "'");
                    }
                }
            } else if (first.equals("Party") && header.size() > 1 && header.get(1).equals("Who")) {
                for (Line line : t.rows()) {
                    requireCells(document, line, header.size());
                    String party = line.cells().get(0);
                    if (!PARTY.matcher(party).matches()) {
                        throw document.atLine(line.number(), "a party's key is lower case, without spaces: '" + party + "'");
                    }
                    if (parties.put(party, line.number()) != null) {
                        throw document.atLine(line.number(), "a second entry for party '" + party + "'");
                    }
                }
            } else if (first.equals("Service") && header.size() > 1 && header.get(1).equals("Endpoint")) {
                for (Line line : t.rows()) {
                    requireCells(document, line, header.size());
                    String path = line.cells().get(1);
                    if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
                        throw document.atLine(line.number(), "an endpoint is a path: '" + path + "'");
                    }
                    if (!endpoints.add(line.cells().get(0) + " " + path)) {
                        throw document.atLine(line.number(), "a second line for this endpoint");
                    }
                }
            } else if (first.equals("Party")) {
                if (entitlements != null) {
                    throw document.atLine(t.header().number(), "a second table of entitlements: the table is one table");
                }
                entitlements = t;
            }
        }
        if (entitlements == null) {
            throw document.whole("no table of entitlements (its header: | Party | <kind> | ... |)");
        }
        Line tableHeader = entitlements.header();
        List<String> columns = tableHeader.cells().subList(1, tableHeader.cells().size());
        if (!columns.equals(new ArrayList<>(kinds.keySet()))) {
            throw document.atLine(tableHeader.number(), "the table's columns must be the kinds of the list, in "
                    + "its order: " + kinds.keySet());
        }
        Map<String, Map<String, Cell>> table = new LinkedHashMap<>();
        for (Line line : entitlements.rows()) {
            requireCells(document, line, tableHeader.cells().size());
            String party = line.cells().get(0);
            if (!parties.containsKey(party)) {
                throw document.atLine(line.number(), "party '" + party + "' has no entry in the list of parties");
            }
            if (table.containsKey(party)) {
                throw document.atLine(line.number(), "a second row for party '" + party + "'");
            }
            Map<String, Cell> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                String text = line.cells().get(c + 1);
                Matcher m = CELL.matcher(text);
                if (!m.matches() || !RULES.contains(m.group(2))) {
                    throw document.atLine(line.number(), "the cell of kind '" + columns.get(c) + "' must be 'yes RULE' "
                            + "or 'no RULE' with a rule id of " + new TreeSet<>(RULES) + ": '" + text + "'");
                }
                row.put(columns.get(c), new Cell(m.group(1).equals("yes"), m.group(2), line.number()));
            }
            table.put(party, row);
        }
        parties.forEach((party, number) -> {
            if (!table.containsKey(party)) {
                throw document.atLine(number, "party '" + party + "' has no row in the table");
            }
        });
        return new Entitlements(List.copyOf(columns), List.copyOf(parties.keySet()), endpoints, table);
    }

    private static void requireCells(MarkdownTables document, Line line, int count) {
        if (line.cells().size() != count || line.cells().stream().anyMatch(String::isEmpty)) {
            throw document.atLine(line.number(), "this line has " + line.cells().size() + " cells (or an empty "
                    + "one); its table has " + count);
        }
    }
}
