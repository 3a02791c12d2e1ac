package be.needtoknow.audit.query;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is who, for the access report (T4): names and functions of the staff of the DPO's own
 * organisation (case-service) and the names and types of the organisations (referral-service's
 * directory: CLBs, care services, schools). Looked up with the DPO's own access token — the bearer
 * token of the request, or the access token of a browser session (code flow) — and kept briefly
 * per organisation ({@code ntk.directory.cache-time}): a report is one page. A lookup that fails
 * (a service down, not configured, or refusing) is not kept, and the report says the names could
 * not be looked up rather than show usernames or ids.
 */
@ApplicationScoped
public class Directory {

    private static final Logger LOG = Logger.getLogger(Directory.class);

    /** A staff member: name and functions (the school's function codes). */
    public record Person(String name, List<String> functions) {
    }

    /** An organisation: its name and type (CLB, CARE, SCHOOL). */
    public record Organisation(String name, String type) {
    }

    /**
     * What the directories told for one report; a map is null when its lookup failed.
     */
    public record Names(Map<String, Person> staff, Map<String, Organisation> organisations) {

        public static final Names NONE = new Names(null, null);

        public boolean complete() {
            return staff != null && organisations != null;
        }

        public Person person(String username) {
            return staff == null || username == null ? null : staff.get(username);
        }

        public Organisation organisation(String id) {
            return organisations == null || id == null ? null : organisations.get(id);
        }
    }

    private record Kept<T>(T value, Instant until) {
    }

    @Inject
    @RestClient
    DirectoryClients.Staff staffClient;

    @Inject
    @RestClient
    DirectoryClients.Recipients recipientsClient;

    @Inject
    SecurityIdentity identity;

    @Inject
    Instance<AccessTokenCredential> accessToken;

    @ConfigProperty(name = "ntk.directory.cache-time", defaultValue = "PT1M")
    Duration cacheTime;

    private final Map<String, Kept<Map<String, Person>>> staffByOrganisation = new ConcurrentHashMap<>();
    private volatile Kept<Map<String, Organisation>> organisations;

    /**
     * The names for a report of this organisation, made by the current caller. Outside the report's
     * transaction: the REST clients finish on other threads, which must not join it.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Names of(String organisationId) {
        String authorization = authorization();
        if (authorization == null) {
            return Names.NONE;
        }
        Kept<Map<String, Person>> staff = staffByOrganisation.get(organisationId);
        if (staff == null || staff.until().isBefore(Instant.now())) {
            Map<String, Person> looked = lookUp("staff", () -> {
                Map<String, Person> byUsername = new HashMap<>();
                for (DirectoryClients.StaffEntry e : staffClient.list(authorization)) {
                    byUsername.put(e.username(), new Person(e.name(), e.functions() == null ? List.of() : e.functions()));
                }
                return Map.copyOf(byUsername);
            });
            staff = looked == null ? null : new Kept<>(looked, Instant.now().plus(cacheTime));
            if (staff != null) {
                staffByOrganisation.put(organisationId, staff);
            }
        }
        Kept<Map<String, Organisation>> orgs = organisations;
        if (orgs == null || orgs.until().isBefore(Instant.now())) {
            Map<String, Organisation> looked = lookUp("recipients", () -> {
                Map<String, Organisation> byId = new HashMap<>();
                for (DirectoryClients.RecipientEntry e : recipientsClient.list(authorization)) {
                    byId.put(e.id(), new Organisation(e.name(), e.type()));
                }
                return Map.copyOf(byId);
            });
            orgs = looked == null ? null : new Kept<>(looked, Instant.now().plus(cacheTime));
            if (orgs != null) {
                organisations = orgs;
            }
        }
        return new Names(staff == null ? null : staff.value(), orgs == null ? null : orgs.value());
    }

    private static <T> T lookUp(String directory, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // The report still renders, without names; no token or URL in the log line.
            LOG.warnf("The %s directory could not be read for the access report: %s", directory,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /** "Bearer <the caller's access token>", or null when the request has none. */
    String authorization() {
        String token = null;
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential != null) {
            token = credential.getToken();
        } else if (accessToken.isResolvable()) {
            try {
                token = accessToken.get().getToken();
            } catch (RuntimeException e) {
                token = null;
            }
        }
        return token == null || token.isBlank() ? null : "Bearer " + token;
    }
}
