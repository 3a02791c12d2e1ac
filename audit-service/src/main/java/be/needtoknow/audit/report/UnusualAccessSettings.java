package be.needtoknow.audit.report;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;

/**
 * A3's thresholds for "spot unusual access" ({@code ntk.audit.unusual.*}, documented in
 * application.properties): a flag is raised when a count is more than its threshold. Typed and
 * checked by the framework at start-up: a threshold that is not a positive number (named in the
 * message), a window that is not a duration, a night that is not a time of day or a zone that does
 * not exist (its value in the message) stops the service.
 */
@ConfigMapping(prefix = "ntk.audit.unusual")
public interface UnusualAccessSettings {

    /** MANY_PUPILS: distinct pupils one person accessed within one window. */
    @Positive
    int manyPupils();

    /** REFUSALS: refused records of one person within one window. */
    @Positive
    int refusals();

    /** NIGHT: records about pupils by one person in one night. */
    @Positive
    int nightAccesses();

    /** The window of MANY_PUPILS and REFUSALS. */
    Duration window();

    /** The night, local time: from its start up to its end; it may cross midnight. */
    LocalTime nightStart();

    LocalTime nightEnd();

    /** The zone of the night and of the flags' times. */
    ZoneId zone();
}
