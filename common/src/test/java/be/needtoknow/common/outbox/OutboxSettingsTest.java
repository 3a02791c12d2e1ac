package be.needtoknow.common.outbox;

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
 * The relay's settings as the framework reads them at start-up (SmallRye Config with Bean
 * Validation, as Quarkus wires them): the defaults without any setting, an environment's value, and a
 * batch size or park-after that is not positive refused with its name.
 */
class OutboxSettingsTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static OutboxSettings read(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(OutboxSettings.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .addDefaultInterceptors().addDiscoveredConverters().build().getConfigMapping(OutboxSettings.class);
    }

    @Test
    void withoutSettingsTheDefaultsHold() {
        OutboxSettings settings = read(Map.of());
        assertEquals(200, settings.batchSize());
        assertEquals(Duration.ofSeconds(1), settings.sweepInterval());
        assertEquals(Duration.ofSeconds(15), settings.ackTimeout());
        assertEquals(10, settings.parkAfter());
    }

    @Test
    void aSettingIsRead() {
        assertEquals(3, read(Map.of("ntk.outbox.park-after", "3")).parkAfter());
        assertEquals(Duration.ofSeconds(4), read(Map.of("ntk.outbox.ack-timeout", "PT4S")).ackTimeout());
    }

    @Test
    void aParkAfterOrBatchSizeThatIsNotPositiveStopsTheStartAndIsNamed() {
        for (String name : new String[] { "ntk.outbox.park-after", "ntk.outbox.batch-size" }) {
            ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                    () -> read(Map.of(name, "0")));
            assertTrue(refused.getMessage().contains(name), refused.getMessage());
        }
    }
}
