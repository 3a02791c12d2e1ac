package be.needtoknow.witness;

import java.util.ArrayList;
import java.util.List;

/**
 * A C2SP signed note read strictly: the text (ending in a newline), a blank line, and one or more
 * signature lines {@code — <key name> <base64(key id ‖ signature)>}, each ending in a newline. The
 * text is separated from the signatures by the last blank line. No control character other than
 * the newline is allowed. Anything else is malformed ({@link IllegalArgumentException}).
 */
record SignedNote(String text, List<SignatureLine> signatures) {

    /** More signature lines than this make the note malformed (the format asks for at least 16). */
    static final int MAX_SIGNATURES = 64;
    private static final String DASH = "\u2014 ";

    /** One signature line: its key name and its decoded bytes (key id first). */
    record SignatureLine(String name, byte[] bytes, String line) {
    }

    static SignedNote parse(String note) {
        for (int i = 0; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new IllegalArgumentException("a note holds no control characters");
            }
        }
        if (!note.endsWith("\n")) {
            throw new IllegalArgumentException("a note ends with a newline");
        }
        int blank = note.lastIndexOf("\n\n");
        if (blank < 0) {
            throw new IllegalArgumentException("a note has a blank line before its signatures");
        }
        String text = note.substring(0, blank + 1);
        String block = note.substring(blank + 2);
        if (block.isEmpty()) {
            throw new IllegalArgumentException("a note has at least one signature");
        }
        List<SignatureLine> signatures = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw new IllegalArgumentException("too many signatures");
            }
            signatures.add(signatureLine(line));
        }
        return new SignedNote(text, List.copyOf(signatures));
    }

    private static SignatureLine signatureLine(String line) {
        if (!line.startsWith(DASH)) {
            throw new IllegalArgumentException("a signature line starts with an em dash and a space");
        }
        String rest = line.substring(DASH.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("a signature line is a key name, a space and a signature");
        }
        String name = Strict.keyName(rest.substring(0, space));
        byte[] bytes = Strict.base64(rest.substring(space + 1));
        if (bytes.length < 5) {
            throw new IllegalArgumentException("a signature is a key id and at least one byte");
        }
        return new SignatureLine(name, bytes, line);
    }
}
