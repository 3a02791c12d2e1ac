package be.needtoknow.common.link;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The pages for parents and pupils: their links answer a page to a person and JSON to a platform,
 * from one address (the caller's Accept header decides); a page speaks to the parents or to the
 * pupil; a printed page carries the school's name and the date in its margins.
 */
public final class LinkPages {

    private LinkPages() {
    }

    /**
     * Whether the caller prefers a page: a browser (text/html listed before any wildcard or JSON)
     * does; {@code application/json} and curl's {@code *}{@code /*} get JSON.
     */
    public static boolean pageWanted(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /**
     * The bundle's texts for the parents or for the pupil, formatted with the arguments: a key ending
     * in {@code .parents} or {@code .pupil} stands under its base key for that reader, the other
     * reader's keys are left out.
     */
    public static Map<String, String> texts(ResourceBundle bundle, boolean forPupil, Object... args) {
        String own = forPupil ? ".pupil" : ".parents";
        String other = forPupil ? ".parents" : ".pupil";
        Map<String, String> texts = new HashMap<>();
        for (String key : bundle.keySet()) {
            if (key.endsWith(other)) {
                continue;
            }
            String text = MessageFormat.format(bundle.getString(key), args);
            texts.put(key.endsWith(own) ? key.substring(0, key.length() - own.length()) : key, text);
        }
        return texts;
    }

    /**
     * A quoted CSS string for a printed page's margin box ({@code @page { @top-left { content: ... } }}):
     * anything but plain letters, digits and a few signs as a fixed-width CSS escape, so that no name
     * can end the string or the style sheet.
     */
    public static String cssString(String text) {
        StringBuilder css = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == ','
                    || c == '.' || c == '-') {
                css.appendCodePoint(c);
            } else {
                css.append('\\').append(String.format("%06x", c));
            }
        });
        return css.append('"').toString();
    }
}
