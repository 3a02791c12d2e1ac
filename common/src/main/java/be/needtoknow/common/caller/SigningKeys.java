package be.needtoknow.common.caller;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The signing keys that the realm has removed, so that a token signed by one is refused within
 * {@code ntk.signing-keys.refresh-interval} (default one minute) of the removal.
 * <p>
 * Quarkus OIDC loads the realm's key set (JWKS) at start and loads it again only when a token
 * names a key it does not know ({@code quarkus.oidc.token.forced-jwk-refresh-interval}): a key the
 * realm has removed (a key that leaked, say) would verify tokens until the service restarts. Its
 * other mode ({@code quarkus.oidc.jwks.resolve-early=false}) forgets keys after a time to live and
 * then needs the identity provider for every token, so an outage of Keycloak would end the service
 * at a random moment. This class keeps the first mode and reads the key set itself every interval:
 * a key id that it saw before and that the realm no longer publishes is removed, and its tokens are
 * refused: as an identity provider that runs before Quarkus OIDC's and before {@link VerifiedTokens}
 * (so also a token remembered as verified), for every tenant (the DPO console's tokens come from
 * the same realm). When the key
 * set cannot be read (Keycloak down), nothing changes: the keys last seen go on verifying tokens.
 * A key that comes back (published again) is no longer removed. Interval 0, or no
 * {@code quarkus.oidc.auth-server-url} (the tests' local public key), turns it off.
 */
@ApplicationScoped
public class SigningKeys implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> authServerUrl;

    @ConfigProperty(name = "ntk.signing-keys.refresh-interval", defaultValue = "PT1M")
    Duration interval;

    @Inject
    Vertx vertx;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** Every key id the realm published in a key set this service read; and those it no longer publishes. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile URI jwksUri;
    private volatile boolean failing;
    private volatile long timer = -1;

    void start(@Observes StartupEvent event) {
        if (authServerUrl.filter(url -> !url.isBlank()).isEmpty() || interval.isZero() || interval.isNegative()) {
            return;
        }
        refresh();
        timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Before every other provider of tokens (Quarkus OIDC's has the interface's default, 1001;
     * VerifiedTokens 1002); answers only to refuse.
     */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 10;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if ((request.getToken() instanceof AccessTokenCredential || request.getToken() instanceof IdTokenCredential)
                && isRemoved(request.getToken().getToken())) {
            // Quarkus OIDC would still verify it with the key it loaded.
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().nullItem();
    }

    /** Whether a token's key (its "kid" header) is one the realm has removed. */
    public boolean isRemoved(String token) {
        if (removed.isEmpty()) {
            return false;
        }
        String kid = keyId(token);
        return kid != null && removed.contains(kid);
    }

    /** The "kid" header of a JWT, read without verifying it; null when it has none or is no JWT. */
    static String keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    StandardCharsets.UTF_8));
            JsonNode kid = header == null ? null : header.get("kid");
            return kid != null && kid.isTextual() ? kid.asText() : null;
        } catch (Exception e) {
            return null; // not a JWT: Quarkus OIDC refuses it
        }
    }

    /** Reads the realm's key set once (at most one read at a time); completes when done or failed. */
    CompletableFuture<Void> refresh() {
        if (!reading.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return jwks().thenCompose(this::get).thenAccept(this::update).handle((done, failure) -> {
            reading.set(false);
            if (failure != null) {
                if (!failing) {
                    failing = true;
                    // The cause only (an address, a status): never a token.
                    LOG.warnf("Cannot read the realm's signing keys (%s); the keys last read go on verifying tokens",
                            rootMessage(failure));
                }
            } else if (failing) {
                failing = false;
                LOG.info("The realm's signing keys are readable again");
            }
            return null;
        });
    }

    private CompletableFuture<URI> jwks() {
        URI known = jwksUri;
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        String base = authServerUrl.orElseThrow();
        URI discovery = URI.create((base.endsWith("/") ? base : base + "/") + ".well-known/openid-configuration");
        return get(discovery).thenApply(document -> {
            JsonNode uri = document.get("jwks_uri");
            if (uri == null || !uri.isTextual()) {
                throw new IllegalStateException("no jwks_uri in " + discovery);
            }
            jwksUri = URI.create(uri.asText());
            return jwksUri;
        });
    }

    private CompletableFuture<JsonNode> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + uri);
            }
            try {
                return JSON.readTree(response.body());
            } catch (Exception e) {
                throw new IllegalStateException("no JSON from " + uri);
            }
        });
    }

    private synchronized void update(JsonNode jwks) {
        JsonNode keys = jwks.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalStateException("no key set");
        }
        Set<String> published = new HashSet<>();
        keys.forEach(key -> {
            JsonNode kid = key.get("kid");
            if (kid != null && kid.isTextual()) {
                published.add(kid.asText());
            }
        });
        for (String kid : seen) {
            if (!published.contains(kid) && removed.add(kid)) {
                LOG.infof("Signing key %s is no longer published by the realm: its tokens are refused", kid);
            }
        }
        removed.removeAll(published);
        seen.addAll(published);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
