package be.needtoknow.common.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.TypedSettings;
import io.smallrye.config.ConfigValidationException;

/**
 * The relay's settings as the framework reads them at start-up (SmallRye Config with Bean
 * Validation, as Quarkus wires them): the defaults without any setting, an environment's value, and a
 * batch size or park-after that is not positive refused with its name.
 */
class OutboxSettingsTest {

    private static OutboxSettings read(Map<String, String> values) {
        return TypedSettings.read(OutboxSettings.class, values);
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
