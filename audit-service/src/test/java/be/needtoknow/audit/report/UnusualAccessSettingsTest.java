package be.needtoknow.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.TypedSettings;
import io.smallrye.config.ConfigValidationException;

/**
 * A3's thresholds as the framework reads them at start-up (SmallRye Config with Bean Validation, as
 * Quarkus wires them): the shipped settings; a threshold out of range refused with its name, a zone
 * that does not exist with its value.
 */
class UnusualAccessSettingsTest {

    /** The ntk.audit.unusual settings of application.properties (no profile). */
    private static Map<String, String> shipped() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = UnusualAccessSettingsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> unusual = new HashMap<>();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith("ntk.audit.unusual."))
                .forEach(name -> unusual.put(name, properties.getProperty(name)));
        return unusual;
    }

    private static UnusualAccessSettings read(Map<String, String> values) {
        return TypedSettings.read(UnusualAccessSettings.class, values);
    }

    @Test
    void a3_theShippedThresholdsAreRead() throws IOException {
        UnusualAccessSettings settings = read(shipped());
        assertEquals(20, settings.manyPupils());
        assertEquals(5, settings.refusals());
        assertEquals(10, settings.nightAccesses());
        assertEquals(Duration.ofHours(1), settings.window());
        assertEquals(LocalTime.of(22, 0), settings.nightStart());
        assertEquals(LocalTime.of(6, 0), settings.nightEnd());
        assertEquals(ZoneId.of("Europe/Brussels"), settings.zone());
    }

    @Test
    void a3_aThresholdThatIsNotPositiveStopsTheStartAndIsNamed() throws IOException {
        Map<String, String> values = shipped();
        values.put("ntk.audit.unusual.refusals", "0");
        ConfigValidationException refused = assertThrows(ConfigValidationException.class, () -> read(values));
        assertTrue(refused.getMessage().contains("ntk.audit.unusual.refusals"), refused.getMessage());
    }

    @Test
    void a3_aZoneThatDoesNotExistStopsTheStartAndTheWrongValueIsShown() throws IOException {
        Map<String, String> values = shipped();
        values.put("ntk.audit.unusual.zone", "Europe/Atlantis");
        RuntimeException refused = assertThrows(RuntimeException.class, () -> read(values));
        assertTrue(String.valueOf(refused.getMessage()).contains("Europe/Atlantis"), refused.getMessage());
    }
}
