package be.needtoknow.audit.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A3, "spot unusual access": the three patterns a DPO looks for, computed over one person's records
 * in time order. Plain Java without a database, so the edges of each rule can be tested directly.
 * <ul>
 * <li>MANY_PUPILS: more than {@code manyPupils} distinct pupils accessed (granted) within one window;</li>
 * <li>REFUSALS: more than {@code refusals} refused records within one window (probing);</li>
 * <li>NIGHT: more than {@code nightAccesses} records about pupils in one night, local time.</li>
 * </ul>
 * A window is any half-open interval of the configured length: records less than one window apart
 * count together. A burst of activity that stays over the threshold for a while is one flag, not
 * one per record: the flag shows the burst's busiest window (its first and last record, and the
 * count in it).
 */
final class UnusualAccessRules {

    static final String MANY_PUPILS = "MANY_PUPILS";
    static final String REFUSALS = "REFUSALS";
    static final String NIGHT = "NIGHT";

    /** The configured thresholds: a flag is raised when a count is more than its threshold. */
    record Thresholds(int manyPupils, int refusals, int nightAccesses, Duration window, LocalTime nightStart,
            LocalTime nightEnd, ZoneId zone) {
    }

    /** One audit record, as far as the rules need it: no content, the pseudonym only to tell pupils apart. */
    record Row(String actor, String role, String organisation, String pupil, boolean refused, Instant at) {
    }

    private final Thresholds thresholds;
    private final DateTimeFormatter format = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private final List<UnusualAccess.Flag> flags = new ArrayList<>();

    private String actor;
    private final Window pupils;
    private final Window refusals;
    private LocalDate night;
    private long nightCount;
    private Row nightLast;

    UnusualAccessRules(Thresholds thresholds) {
        this.thresholds = thresholds;
        this.pupils = new Window(MANY_PUPILS, thresholds.manyPupils(), true);
        this.refusals = new Window(REFUSALS, thresholds.refusals(), false);
    }

    /** Takes the next record; records must come grouped by actor, each actor's in time order. */
    void accept(Row row) {
        if (!row.actor().equals(actor)) {
            endActor();
            actor = row.actor();
        }
        if (row.pupil() != null && !row.refused()) {
            pupils.add(row);
        }
        if (row.refused()) {
            refusals.add(row);
        }
        if (row.pupil() != null) {
            nightOf(row.at()).ifPresent(n -> countAtNight(n, row));
        }
    }

    /** The flags of all records taken, once the last one was. */
    List<UnusualAccess.Flag> flags() {
        endActor();
        return flags;
    }

    private void endActor() {
        pupils.reset();
        refusals.reset();
        endNight();
        actor = null;
    }

    private void countAtNight(LocalDate n, Row row) {
        if (!n.equals(night)) {
            endNight();
            night = n;
        }
        nightCount++;
        nightLast = row;
    }

    private void endNight() {
        if (night != null && nightCount > thresholds.nightAccesses()) {
            ZonedDateTime start = ZonedDateTime.of(night, thresholds.nightStart(), thresholds.zone());
            LocalDate endDate = crossesMidnight() ? night.plusDays(1) : night;
            ZonedDateTime end = ZonedDateTime.of(endDate, thresholds.nightEnd(), thresholds.zone());
            flags.add(flag(NIGHT, nightLast, start.toInstant(), end.toInstant(), nightCount, thresholds.nightAccesses()));
        }
        night = null;
        nightCount = 0;
        nightLast = null;
    }

    private boolean crossesMidnight() {
        return thresholds.nightStart().isAfter(thresholds.nightEnd());
    }

    /**
     * The night a moment belongs to, named by the date on which it begins; empty by day. A night from
     * 22:00 to 06:00 crosses midnight: 03:00 on the 11th belongs to the night of the 10th. Equal start
     * and end mean no night hours at all.
     */
    Optional<LocalDate> nightOf(Instant at) {
        ZonedDateTime local = at.atZone(thresholds.zone());
        LocalTime time = local.toLocalTime();
        LocalTime start = thresholds.nightStart();
        LocalTime end = thresholds.nightEnd();
        if (crossesMidnight()) {
            if (!time.isBefore(start)) {
                return Optional.of(local.toLocalDate());
            }
            return time.isBefore(end) ? Optional.of(local.toLocalDate().minusDays(1)) : Optional.empty();
        }
        return !time.isBefore(start) && time.isBefore(end) ? Optional.of(local.toLocalDate()) : Optional.empty();
    }

    private UnusualAccess.Flag flag(String kind, Row row, Instant from, Instant to, long count, int threshold) {
        // Local times with their offset, so the DPO reads them as the school's clock shows them.
        return new UnusualAccess.Flag(kind, row.actor(), row.role(), row.organisation(),
                format.format(from.atZone(thresholds.zone())), format.format(to.atZone(thresholds.zone())), count,
                threshold);
    }

    /**
     * A sliding window over one person's records: the records of the last window length up to the
     * newest. Counts either distinct pupils or records. While the count stays over the threshold the
     * burst goes on; when it falls back (or the person's records end), the burst's busiest window is
     * flagged.
     */
    private final class Window {
        private final String kind;
        private final int threshold;
        private final boolean distinctPupils;
        private final Deque<Row> rows = new ArrayDeque<>();
        /** For distinct pupils: how many of the window's records are about each pupil. */
        private final Map<String, Integer> perPupil = new HashMap<>();
        private UnusualAccess.Flag busiest;

        Window(String kind, int threshold, boolean distinctPupils) {
            this.kind = kind;
            this.threshold = threshold;
            this.distinctPupils = distinctPupils;
        }

        void add(Row row) {
            rows.addLast(row);
            if (distinctPupils) {
                perPupil.merge(row.pupil(), 1, Integer::sum);
            }
            // Keep the records less than one window before this one: (at - window, at].
            Instant earliest = row.at().minus(thresholds.window());
            while (!rows.getFirst().at().isAfter(earliest)) {
                Row old = rows.removeFirst();
                if (distinctPupils) {
                    perPupil.computeIfPresent(old.pupil(), (p, n) -> n == 1 ? null : n - 1);
                }
            }
            long count = distinctPupils ? perPupil.size() : rows.size();
            if (count > threshold) {
                if (busiest == null || count > busiest.count()) {
                    busiest = flag(kind, row, rows.getFirst().at(), row.at(), count, threshold);
                }
            } else {
                flush();
            }
        }

        /** Flags the burst in progress, if any. */
        void flush() {
            if (busiest != null) {
                flags.add(busiest);
                busiest = null;
            }
        }

        /** At the end of a person's records: flags the burst in progress and forgets the window. */
        void reset() {
            flush();
            rows.clear();
            perPupil.clear();
        }
    }
}
