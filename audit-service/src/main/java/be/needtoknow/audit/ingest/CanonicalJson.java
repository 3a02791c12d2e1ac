package be.needtoknow.audit.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RFC 8785 (JSON Canonicalization Scheme) of an already parsed record: members sorted by the
 * UTF-16 code units of their names, no whitespace, strings escaped as ECMAScript's JSON.stringify
 * does. Written here for speed, not instead of the library: ingest parses each record once, and the
 * library (erdtman's reference implementation) parses it again with a slower parser — a fifth of
 * ingest's processor time. Audit records hold only objects, strings and null; anything with a
 * number (whose RFC 8785 form is ECMAScript's number formatting) or a lone surrogate goes to the
 * library. CanonicalJsonTest holds the two to the same output.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The canonical text of {@code tree}, parsed from {@code source}. */
    static String of(JsonNode tree, String source) throws IOException {
        StringBuilder out = new StringBuilder(source.length());
        if (write(tree, out)) {
            return out.toString();
        }
        return new JsonCanonicalizer(source).getEncodedString();
    }

    /** Returns false when the value needs the library (a number, a lone surrogate). */
    private static boolean write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    members.add(it.next());
                }
                // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 sorts.
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!string(members.get(i).getKey(), out)) {
                        return false;
                    }
                    out.append(':');
                    if (!write(members.get(i).getValue(), out)) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!write(node.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                return string(node.textValue(), out);
            }
            case BOOLEAN -> {
                out.append(node.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** RFC 8785 §3.2.2.2: only '"', '\\' and the controls are escaped, the controls in short form where one exists. */
    private static boolean string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        return false;
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        return true;
    }
}
