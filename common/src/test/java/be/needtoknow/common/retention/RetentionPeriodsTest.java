package be.needtoknow.common.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.TypedSettings;
import io.smallrye.config.ConfigValidationException;

/**
 * A5: the retention periods as the framework reads them at start-up (SmallRye Config with Bean
 * Validation, as Quarkus wires them): the defaults of docs/operations.md, a school board's own
 * period, and a period shorter than a day refused with its name, before any purge could run.
 */
class RetentionPeriodsTest {

    private static RetentionPeriods read(Map<String, String> values) {
        return TypedSettings.read(RetentionPeriods.class, values);
    }

    @Test
    void a5_withoutSettingsTheDocumentedDefaultsHold() {
        RetentionPeriods periods = read(Map.of());
        assertEquals(Duration.ofDays(730), periods.closedCaseFile());
        assertEquals(Duration.ofDays(365), periods.untakenSignal());
        assertEquals(Duration.ofDays(730), periods.disciplineMeasure());
        assertEquals(Duration.ofDays(730), periods.leftPupil());
        assertEquals(Duration.ofDays(730), periods.endedReferral());
        assertEquals(Duration.ofDays(7), periods.sentOutboxEvent());
        assertEquals("1h", periods.purgeInterval());
    }

    @Test
    void a5_aSchoolBoardsOwnPeriodIsRead() {
        assertEquals(Duration.ofDays(1095), read(Map.of("ntk.retention.closed-case-file", "P1095D")).closedCaseFile());
    }

    @Test
    void a5_aPeriodShorterThanADayStopsTheStartAndIsNamed() {
        for (String name : new String[] { "ntk.retention.closed-case-file", "ntk.retention.left-pupil",
                "ntk.retention.ended-referral", "ntk.retention.sent-outbox-event" }) {
            ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                    () -> read(Map.of(name, "PT1H")));
            assertTrue(refused.getMessage().contains(name), refused.getMessage());
        }
    }
}
