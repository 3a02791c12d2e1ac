package be.needtoknow.common.database;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The start-up work that needs the database, the same in every service: the migrations (Flyway,
 * as the database's owner), then what the service observes {@link Ready} for (referral-service
 * loads its recipient directory, audit-service its tree). It is tried once while the service
 * starts, right after {@code DevelopmentDefaults} and before the messaging channels open, so that
 * with the database up nothing changes. With the database unreachable the service starts all the
 * same instead of exiting: it tries again in the background at an interval, and reports unready
 * ({@link DatabaseStartupCheck}) until the work is done, then ready without a restart.
 */
@ApplicationScoped
public class DatabaseStartup {

    private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);

    /**
     * Fired once the migrations ran, on the thread that ran them. Its observers do the start-up work
     * that needs the database; if one throws, all of it is tried again later, so it must be
     * repeatable.
     */
    public record Ready() {
    }

    @Inject
    Flyway flyway;

    @Inject
    Event<Ready> ready;

    @ConfigProperty(name = "ntk.database.startup-retry-interval", defaultValue = "PT2S")
    Duration retryInterval;

    private volatile boolean done;
    private volatile Thread retrying;
    private String lastFailure;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event) {
        if (attempt()) {
            return;
        }
        Thread thread = new Thread(this::retry, "database-startup");
        thread.setDaemon(true);
        retrying = thread;
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread thread = retrying;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void retry() {
        while (!done) {
            try {
                Thread.sleep(retryInterval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (attempt()) {
                LOG.info("The database is reachable: migrations run and start-up work done; the service is ready");
            }
        }
    }

    private boolean attempt() {
        try {
            flyway.migrate();
            ready.fire(new Ready());
            done = true;
            return true;
        } catch (RuntimeException e) {
            // The first line of the message only: the cause (a refused connection, a failed
            // migration), never a row.
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            String failure = e.getClass().getSimpleName() + ": " + message;
            if (!failure.equals(lastFailure)) {
                LOG.warnf("The database start-up work could not be done (%s); the service reports unready and tries "
                        + "again every %s s", failure, retryInterval.toSeconds());
                lastFailure = failure;
            }
            return false;
        }
    }

    /** True once the migrations and the start-up work are done. */
    public boolean done() {
        return done;
    }
}
