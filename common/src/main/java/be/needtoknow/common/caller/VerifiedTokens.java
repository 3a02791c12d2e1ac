package be.needtoknow.common.caller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Remembers, for a short while, the identity made of a bearer token that Quarkus OIDC verified, so
 * that the same token's next requests are not verified again (signature, claims, identity):
 * measured at about a quarter of case-service's processor time per note write (in the performance
 * work on the note path), since a client sends the same token for minutes. Quarkus OIDC caches
 * introspection and UserInfo answers but not the verification of a JWT, hence this class.
 * <p>
 * Bearer access tokens of the default tenant only (never the DPO console's session), keyed by the
 * whole token. An entry lives until the token expires or {@code ntk.token-cache.max-age} after it was
 * verified, whichever comes first; then the token is verified again, and refused if it no longer
 * verifies. A token that fails verification is never remembered. {@code max-age} 0 turns the cache
 * off. The identity is remembered as the OIDC provider made it, before any augmentor, and given
 * the current request's routing context on each use.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest>, SecurityIdentityAugmentor {

    /** Where Quarkus OIDC keeps the tenant, on the identity and on the routing context; and its default. */
    private static final String TENANT_ID = "tenant-id";
    private static final String DEFAULT_TENANT = "Default";

    private record Verified(SecurityIdentity identity, long notAfterMillis) {
    }

    @ConfigProperty(name = "ntk.token-cache.max-age", defaultValue = "PT60S")
    Duration maxAge;

    @ConfigProperty(name = "ntk.token-cache.max-entries", defaultValue = "10000")
    int maxEntries;

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * As a provider, before Quarkus OIDC's, which keeps the interface's default priority (1001): a
     * hit answers, a miss (null) lets OIDC verify the token. As an augmentor, the first: it
     * remembers the identity as the OIDC provider made it.
     */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1;
    }

    /** How many requests a remembered identity answered (for the tests: a hit must be served). */
    public long hits() {
        return hits.sum();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (maxAge.isZero() || !(request.getToken() instanceof AccessTokenCredential)) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        Object tenant = routing == null ? null : routing.get(TENANT_ID);
        if (tenant != null && !DEFAULT_TENANT.equals(tenant)) {
            return Uni.createFrom().nullItem();
        }
        String key = request.getToken().getToken();
        Verified hit = verified.get(key);
        if (hit == null) {
            return Uni.createFrom().nullItem();
        }
        if (System.currentTimeMillis() >= hit.notAfterMillis()) {
            verified.remove(key, hit);
            return Uni.createFrom().nullItem();
        }
        hits.increment();
        // The remembered identity carries the routing context of the request that verified it.
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(hit.identity())
                .addAttribute(RoutingContext.class.getName(), routing);
        if (routing != null && routing.get(AuthenticationRequestContext.class.getName()) != null) {
            identity.addAttribute(AuthenticationRequestContext.class.getName(),
                    routing.get(AuthenticationRequestContext.class.getName()));
        }
        return Uni.createFrom().item(identity.build());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (!maxAge.isZero() && token != null && !identity.isAnonymous()
                && identity.getPrincipal() instanceof JsonWebToken jwt
                && DEFAULT_TENANT.equals(identity.getAttribute(TENANT_ID))) {
            String key = token.getToken();
            if (!verified.containsKey(key)) {
                long now = System.currentTimeMillis();
                long notAfter = Math.min(jwt.getExpirationTime() * 1000, now + maxAge.toMillis());
                if (verified.size() >= maxEntries) {
                    verified.values().removeIf(v -> now >= v.notAfterMillis());
                    if (verified.size() >= maxEntries) {
                        verified.clear();
                    }
                }
                verified.put(key, new Verified(identity, notAfter));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
