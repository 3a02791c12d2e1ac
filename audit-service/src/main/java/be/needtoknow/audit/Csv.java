package be.needtoknow.audit;

/**
 * CSV cells for a spreadsheet (RFC 4180): every cell quoted, and a cell that a spreadsheet would
 * read as a formula (starting with =, +, -, @, tab or carriage return) prefixed with an apostrophe
 * (OWASP's advice on CSV injection). Written here: a few lines, where a CSV library would still
 * not neutralise formulas.
 */
public final class Csv {

    private Csv() {
    }

    public static String cell(String value) {
        String text = value == null ? "" : value;
        String safe = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
