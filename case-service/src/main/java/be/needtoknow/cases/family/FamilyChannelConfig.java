package be.needtoknow.cases.family;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the family's links lead: the public addresses of the pages the family opens. */
@ConfigMapping(prefix = "ntk.family")
public interface FamilyChannelConfig {

    /** case-service as the family reaches it (the access package's page). */
    @WithDefault("http://127.0.0.1:8081")
    String caseServiceUrl();

    /** referral-service as the family reaches it (the transfer notice's page). */
    @WithDefault("http://127.0.0.1:8082")
    String referralServiceUrl();
}
