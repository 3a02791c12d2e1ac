package be.needtoknow.common.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the outbox relay publishes ({@code ntk.outbox.*}): one typed group, read and validated by the
 * framework at start-up (a service with a batch size or park-after of 0 does not start), instead of
 * four properties injected by name.
 */
@ConfigMapping(prefix = "ntk.outbox")
public interface OutboxSettings {

    /** Events one round takes from the outbox. */
    @WithDefault("200")
    @Positive
    int batchSize();

    /** How often the relay looks for events that no commit announced (after a restart, a failure). */
    @WithDefault("PT1S")
    Duration sweepInterval();

    /** How long the relay waits for the broker to acknowledge a round before it counts as failed. */
    @WithDefault("PT15S")
    Duration ackTimeout();

    /**
     * An event that fails this many rounds while the broker acknowledges other events of the same
     * round is parked, whatever the failure (a topic deleted for good looks like a timeout); counted
     * by the process that publishes, from its start. A failure of the event itself (too large, topic
     * not authorised or invalid) parks it at once; while the broker takes nothing at all (down,
     * unreachable) nothing counts, so an outage parks nothing.
     */
    @WithDefault("10")
    @Positive
    int parkAfter();
}
