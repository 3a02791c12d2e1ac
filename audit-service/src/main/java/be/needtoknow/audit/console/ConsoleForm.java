package be.needtoknow.audit.console;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The console's query parameters, read and checked the way the API's are (same sizes and patterns
 * as AuditRecordResource.Filters), with the problems as texts for the page: a bad value shows the
 * form again with a message (400), never a crash. Dates are days in the console's time zone; "to"
 * is the last day included.
 */
final class ConsoleForm {

    private static final Pattern ACTION = Pattern.compile("[a-z.-]{1,64}");
    private static final Pattern OUTCOME = Pattern.compile("GRANTED|REFUSED");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,7}");

    private final MultivaluedMap<String, String> query;
    private final ConsolePage page;
    final List<String> errors = new ArrayList<>();

    ConsoleForm(MultivaluedMap<String, String> query, ConsolePage page) {
        this.query = query;
        this.page = page;
    }

    /** Whether any of these parameters was sent (a submitted form sends all its fields, empty or not). */
    boolean submitted(String... names) {
        for (String name : names) {
            if (query.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** The parameter's value, trimmed; null when absent or empty. */
    String value(String name) {
        String value = query.getFirst(name);
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }

    /** The value as typed, for the form ("" when absent). */
    String raw(String name) {
        String value = query.getFirst(name);
        return value == null ? "" : value;
    }

    String text(String name, int max) {
        String value = value(name);
        if (value != null && value.length() > max) {
            errors.add(page.format("error.too_long", label(name), max));
            return null;
        }
        return value;
    }

    String action(String name) {
        String value = value(name);
        if (value != null && !ACTION.matcher(value).matches()) {
            errors.add(page.format("error.action", label(name)));
            return null;
        }
        return value;
    }

    /** GRANTED, REFUSED, or null for "all" (empty, or the word all). */
    String outcome(String name) {
        String value = value(name);
        if (value == null || "all".equals(value)) {
            return null;
        }
        if (!OUTCOME.matcher(value).matches()) {
            errors.add(page.format("error.outcome", label(name)));
            return null;
        }
        return value;
    }

    LocalDate date(String name) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(page.format("error.date", label(name)));
            return null;
        }
    }

    YearMonth month(String name) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(page.format("error.month", label(name)));
            return null;
        }
    }

    int page(String name) {
        String value = value(name);
        if (value == null) {
            return 0;
        }
        if (!NUMBER.matcher(value).matches()) {
            errors.add(page.format("error.page", label(name)));
            return 0;
        }
        return Integer.parseInt(value);
    }

    /** A period of days [from, to] as [start of from, start of the day after to) in the zone; checks its order. */
    OffsetDateTime[] period(LocalDate from, LocalDate to, ZoneId zone) {
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(page.text("error.period"));
            return new OffsetDateTime[2];
        }
        return new OffsetDateTime[] { from == null ? null : from.atStartOfDay(zone).toOffsetDateTime(),
                to == null ? null : to.plusDays(1).atStartOfDay(zone).toOffsetDateTime() };
    }

    boolean ok() {
        return errors.isEmpty();
    }

    private String label(String name) {
        return page.text("field." + name);
    }
}
