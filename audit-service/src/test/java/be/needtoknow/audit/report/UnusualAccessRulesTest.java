package be.needtoknow.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A3: the edges of the unusual-access rules, without a database (default thresholds: 20, 5, 10, an hour, 22:00-06:00). */
class UnusualAccessRulesTest {

    static final UnusualAccessRules.Thresholds DEFAULTS = new UnusualAccessRules.Thresholds(20, 5, 10, Duration.ofHours(1),
            LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneId.of("Europe/Brussels"));
    static final Instant MORNING = Instant.parse("2024-01-10T09:00:00Z"); // 10:00 in Brussels

    static UnusualAccessRules.Row read(String actor, String pupil, Instant at) {
        return new UnusualAccessRules.Row(actor, "pupil-counsellor", "school-sint-jan", pupil, false, at);
    }

    static UnusualAccessRules.Row refused(String actor, Instant at) {
        return new UnusualAccessRules.Row(actor, "teacher", "school-sint-jan", null, true, at);
    }

    static List<UnusualAccess.Flag> flags(List<UnusualAccessRules.Row> rows) {
        UnusualAccessRules rules = new UnusualAccessRules(DEFAULTS);
        rows.forEach(rules::accept);
        return rules.flags();
    }

    /** n distinct pupils read by one person, one every `step` from `start`. */
    static List<UnusualAccessRules.Row> pupils(String actor, int n, Instant start, Duration step) {
        List<UnusualAccessRules.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(read(actor, actor + "-pupil-" + i, start.plus(step.multipliedBy(i))));
        }
        return rows;
    }

    @Test
    void a3_twentyOneDistinctPupilsWithinAnHourAreFlagged() {
        List<UnusualAccess.Flag> flags = flags(pupils("bart", 21, MORNING, Duration.ofMinutes(2)));
        assertEquals(1, flags.size());
        UnusualAccess.Flag flag = flags.get(0);
        assertEquals("MANY_PUPILS", flag.flag());
        assertEquals(21, flag.count());
        assertEquals(20, flag.threshold());
        assertEquals("2024-01-10T10:00:00+01:00", flag.from());
        assertEquals("2024-01-10T10:40:00+01:00", flag.to());
    }

    @Test
    void a3_twentyPupilsReadTwentyOneTimesAreNotFlagged() {
        List<UnusualAccessRules.Row> rows = pupils("bart", 20, MORNING, Duration.ofMinutes(2));
        rows.add(read("bart", "bart-pupil-0", MORNING.plus(Duration.ofMinutes(41))));
        assertEquals(List.of(), flags(rows));
    }

    @Test
    void a3_recordsAWholeWindowApartDoNotCountTogether() {
        // 21 pupils, 3 minutes apart: the first and the last are exactly an hour apart.
        assertEquals(List.of(), flags(pupils("bart", 21, MORNING, Duration.ofMinutes(3))));
        assertEquals(List.of(), flags(pupils("bart", 21, MORNING, Duration.ofMinutes(5))));
    }

    @Test
    void a3_aLongBurstIsOneFlagWithItsBusiestWindowAndTwoBurstsAreTwo() {
        // 60 pupils, one a minute: every hour-window from the 21st record on holds more than 20.
        List<UnusualAccessRules.Row> rows = pupils("bart", 60, MORNING, Duration.ofMinutes(1));
        rows.addAll(pupils("bart-later", 21, MORNING.plus(Duration.ofHours(5)), Duration.ofMinutes(1)).stream()
                .map(r -> read("bart", r.pupil(), r.at())).toList());
        List<UnusualAccess.Flag> flags = flags(rows);
        assertEquals(2, flags.size());
        assertEquals(60, flags.get(0).count());
        assertEquals("2024-01-10T10:00:00+01:00", flags.get(0).from());
        assertEquals("2024-01-10T10:59:00+01:00", flags.get(0).to());
        assertEquals(21, flags.get(1).count());
    }

    @Test
    void a3_eachPersonIsCountedOnTheirOwn() {
        List<UnusualAccessRules.Row> rows = pupils("an", 15, MORNING, Duration.ofMinutes(1));
        rows.addAll(pupils("bart", 15, MORNING, Duration.ofMinutes(1)));
        assertEquals(List.of(), flags(rows));
    }

    @Test
    void a3_moreThanFiveRefusalsWithinAnHourAreFlagged() {
        List<UnusualAccessRules.Row> five = new ArrayList<>();
        List<UnusualAccessRules.Row> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (i < 5) {
                five.add(refused("an", MORNING.plus(Duration.ofMinutes(10L * i))));
            }
            six.add(refused("bart", MORNING.plus(Duration.ofMinutes(10L * i))));
        }
        assertEquals(List.of(), flags(five));
        List<UnusualAccess.Flag> flags = flags(six);
        assertEquals(1, flags.size());
        assertEquals("REFUSALS", flags.get(0).flag());
        assertEquals(6, flags.get(0).count());
        assertEquals(5, flags.get(0).threshold());
        assertEquals("teacher", flags.get(0).role());
    }

    @Test
    void a3_moreThanTenRecordsAboutPupilsInOneNightAreFlaggedWithTheNightInLocalTime() {
        // 23:30 to 00:20 and 02:00 to 02:10 in Brussels (UTC+1): one night, that of 15 January.
        List<UnusualAccessRules.Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(read("bart", "p" + i, Instant.parse("2024-01-15T22:30:00Z").plus(Duration.ofMinutes(10L * i))));
        }
        for (int i = 0; i < 5; i++) {
            rows.add(read("bart", "q" + i, Instant.parse("2024-01-16T01:00:00Z").plus(Duration.ofMinutes(2L * i))));
        }
        List<UnusualAccess.Flag> flags = flags(rows);
        assertEquals(1, flags.size());
        assertEquals("NIGHT", flags.get(0).flag());
        assertEquals(11, flags.get(0).count());
        assertEquals("2024-01-15T22:00:00+01:00", flags.get(0).from());
        assertEquals("2024-01-16T06:00:00+01:00", flags.get(0).to());
    }

    @Test
    void a3_eachNightIsCountedOnItsOwnAndTheEveningAndMorningAreNotNight() {
        List<UnusualAccessRules.Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(read("bart", "p" + i, Instant.parse("2024-01-15T23:00:00Z").plusSeconds(60L * i))); // 00:00, 16th
            rows.add(read("bart", "q" + i, Instant.parse("2024-01-16T23:00:00Z").plusSeconds(60L * i))); // 00:00, 17th
        }
        rows.sort((a, b) -> a.at().compareTo(b.at()));
        assertEquals(List.of(), flags(rows));

        UnusualAccessRules rules = new UnusualAccessRules(DEFAULTS);
        assertEquals(Optional.empty(), rules.nightOf(Instant.parse("2024-01-15T20:59:00Z"))); // 21:59
        assertEquals(Optional.of(LocalDate.of(2024, 1, 15)), rules.nightOf(Instant.parse("2024-01-15T21:00:00Z"))); // 22:00
        assertEquals(Optional.of(LocalDate.of(2024, 1, 15)), rules.nightOf(Instant.parse("2024-01-16T04:59:00Z"))); // 05:59
        assertEquals(Optional.empty(), rules.nightOf(Instant.parse("2024-01-16T05:00:00Z"))); // 06:00
        // Summer time: 22:00 in Brussels is 20:00 UTC.
        assertEquals(Optional.of(LocalDate.of(2024, 7, 1)), rules.nightOf(Instant.parse("2024-07-01T20:00:00Z")));
    }

    @Test
    void a3_aNightThatDoesNotCrossMidnightIsUnderstoodToo() {
        UnusualAccessRules rules = new UnusualAccessRules(new UnusualAccessRules.Thresholds(20, 5, 10, Duration.ofHours(1),
                LocalTime.of(0, 0), LocalTime.of(5, 0), ZoneId.of("UTC")));
        assertEquals(Optional.of(LocalDate.of(2024, 1, 16)), rules.nightOf(Instant.parse("2024-01-16T00:00:00Z")));
        assertEquals(Optional.empty(), rules.nightOf(Instant.parse("2024-01-16T05:00:00Z")));
        assertEquals(Optional.empty(), rules.nightOf(Instant.parse("2024-01-15T23:00:00Z")));
        assertTrue(rules.flags().isEmpty());
    }
}
