package be.needtoknow.audit.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import be.needtoknow.common.caller.Caller;
import io.quarkus.qute.TemplateData;

/**
 * What every console page shows around its content: the language (Dutch by default, English with
 * lang=en, kept in every link and form), the texts in that language, who is signed in, the section
 * for the navigation, and the link that switches the language of the same page.
 *
 * @param q     the language as a query string of its own ("" or "?lang=en"), for links without one
 * @param qa    the language as a further parameter ("" or "&amp;lang=en"), for links with a query
 */
@TemplateData
public record ConsolePage(String lang, Map<String, String> m, String user, String organisation, String section, String q,
        String qa, boolean english, String switchHref, String switchText, String otherLang) {

    static final String BUNDLE = "console.messages";

    /** "en" when asked for, Dutch otherwise (the console does not refuse a page for its language). */
    static String language(String asked) {
        return "en".equals(asked) ? "en" : "nl";
    }

    static Map<String, String> texts(String lang) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        Map<String, String> texts = new HashMap<>();
        bundle.keySet().forEach(k -> texts.put(k, bundle.getString(k)));
        return texts;
    }

    /**
     * @param caller null on the page after logout (nobody is signed in)
     * @param path   the page's path, for the language switch
     * @param rawQuery the page's query string as sent, kept by the language switch
     */
    static ConsolePage of(String asked, String section, Caller caller, String path, String rawQuery) {
        return of(asked, section, caller, null, path, rawQuery);
    }

    /** With the person's name (the token's {@code name} claim) shown instead of the user name when there is one. */
    static ConsolePage of(String asked, String section, Caller caller, String name, String path, String rawQuery) {
        String lang = language(asked);
        boolean english = "en".equals(lang);
        String other = english ? "nl" : "en";
        // The same query, in its order and encoding, without its lang; then the other language's.
        StringBuilder switchQuery = new StringBuilder();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                if (!part.isEmpty() && !part.equals("lang") && !part.startsWith("lang=")) {
                    switchQuery.append(switchQuery.isEmpty() ? "?" : "&").append(part);
                }
            }
        }
        if (!english) {
            switchQuery.append(switchQuery.isEmpty() ? "?" : "&").append("lang=en");
        }
        Map<String, String> m = texts(lang);
        String user = caller == null ? null : name == null || name.isBlank() ? caller.username() : name;
        return new ConsolePage(lang, m, user,
                caller == null ? null : caller.organisationId(), section, english ? "?lang=en" : "",
                english ? "&lang=en" : "", english, path + switchQuery, english ? "Nederlands" : "English", other);
    }

    String text(String key) {
        return m.getOrDefault(key, key);
    }

    String format(String key, Object... arguments) {
        return new MessageFormat(text(key), Locale.forLanguageTag(lang)).format(arguments);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The query string of these parameters (empty ones left out), with the page's language. */
    String query(List<String[]> parameters) {
        StringBuilder out = new StringBuilder();
        for (String[] p : parameters) {
            if (p[1] != null && !p[1].isEmpty()) {
                out.append(out.isEmpty() ? "?" : "&").append(encode(p[0])).append('=').append(encode(p[1]));
            }
        }
        if (english) {
            out.append(out.isEmpty() ? "?" : "&").append("lang=en");
        }
        return out.toString();
    }
}
