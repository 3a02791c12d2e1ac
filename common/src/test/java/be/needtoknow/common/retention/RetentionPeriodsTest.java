package be.needtoknow.common.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * A5: the retention periods as the framework reads them at start-up (SmallRye Config with Bean
 * Validation, as Quarkus wires them): the defaults of docs/operations.md, a school board's own
 * period, and a period shorter than a day refused with its name, before any purge could run.
 */
class RetentionPeriodsTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static RetentionPeriods read(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(RetentionPeriods.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .addDefaultInterceptors().addDiscoveredConverters().build().getConfigMapping(RetentionPeriods.class);
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
