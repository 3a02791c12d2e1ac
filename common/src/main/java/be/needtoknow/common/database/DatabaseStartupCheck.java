package be.needtoknow.common.database;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Unready until the migrations and the start-up work that needs the database are done ({@link DatabaseStartup}). */
@Readiness
@ApplicationScoped
public class DatabaseStartupCheck implements HealthCheck {

    @Inject
    DatabaseStartup startup;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Database migrations and start-up work").status(startup.done()).build();
    }
}
