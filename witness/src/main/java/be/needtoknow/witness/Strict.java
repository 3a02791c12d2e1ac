package be.needtoknow.witness;

import java.util.Base64;
import java.util.regex.Pattern;

/** The exact encodings of the protocol: anything else is malformed, never guessed at. */
final class Strict {

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    private Strict() {
    }

    /** Standard base64 (RFC 4648 §4) with its padding, exactly as an encoder writes it; else IllegalArgumentException. */
    static byte[] base64(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return bytes;
    }

    /** A non-negative decimal without leading zeros that fits a signed 64-bit integer; else IllegalArgumentException. */
    static long decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a decimal without leading zeros");
        }
        return Long.parseLong(text); // NumberFormatException (an IllegalArgumentException) past 2^63 - 1
    }

    /** A key name of a signed note: not empty, no Unicode space, no plus sign. */
    static String keyName(String name) {
        if (name.isEmpty() || name.indexOf('+') >= 0 || name.codePoints().anyMatch(Strict::isSpace)) {
            throw new IllegalArgumentException("a key name is not empty and holds no space or plus sign");
        }
        return name;
    }

    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
