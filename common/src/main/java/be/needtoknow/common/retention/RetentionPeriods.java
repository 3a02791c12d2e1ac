package be.needtoknow.common.retention;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * A5: how long each kind of record is kept ({@code ntk.retention.*}), one typed group for the three
 * services, read and checked by the framework at start-up. A period shorter than a day stops the
 * start, naming the setting: a purge with a period of nothing (a typo, a unit left out) would delete
 * a school's records at its next run. Each service reads the periods of what it holds; the defaults
 * and their legal grounds are in docs/operations.md and docs/rules.md.
 */
@ConfigMapping(prefix = "ntk.retention")
public interface RetentionPeriods {

    /** case-service: a closed case file, with its care team, notices and notes, after it was closed. */
    @WithDefault("P730D")
    @DurationMin(days = 1)
    Duration closedCaseFile();

    /** case-service: a signal never taken up, after it was reported. */
    @WithDefault("P365D")
    @DurationMin(days = 1)
    Duration untakenSignal();

    /** case-service: a discipline measure, after it was registered. */
    @WithDefault("P730D")
    @DurationMin(days = 1)
    Duration disciplineMeasure();

    /** case-service: a pupil who left the school, and everything the school holds on them, after leaving. */
    @WithDefault("P730D")
    @DurationMin(days = 1)
    Duration leftPupil();

    /** referral-service: a referral or transfer that ended, with its items, consent and notices. */
    @WithDefault("P730D")
    @DurationMin(days = 1)
    Duration endedReferral();

    /** Every service: an outbox row, after the broker acknowledged it (an unsent one is never purged). */
    @WithDefault("P7D")
    @DurationMin(days = 1)
    Duration sentOutboxEvent();

    /**
     * How often the purge runs ({@code 1h}; {@code off} stops it): read by the scheduler from the
     * expression of each service's retention job, and mapped here so that the group is complete.
     */
    @WithDefault("1h")
    String purgeInterval();
}
