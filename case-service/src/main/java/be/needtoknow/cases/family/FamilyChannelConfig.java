package be.needtoknow.cases.family;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the family's links lead: the public addresses of the pages the family opens. No default
 * outside the local and test profiles: a production deployment that forgot them would mail the
 * families links to 127.0.0.1, so it does not start.
 */
@ConfigMapping(prefix = "ntk.family")
public interface FamilyChannelConfig {

    /** case-service as the family reaches it (the access package's page). */
    String caseServiceUrl();

    /** referral-service as the family reaches it (the transfer notice's page). */
    String referralServiceUrl();

    /**
     * How the family is reached: {@code MAIL} (by e-mail, through the SMTP relay), or {@code LETTERBOX}
     * (the school platform collects the messages and delivers them through its own messages to
     * parents). A deployment's choice, per school where needed ({@link #channels()}).
     */
    @WithDefault("MAIL")
    FamilyMessage.Channel channel();

    /** A school's own choice ({@code ntk.family.channels.<organisation id>}), over {@link #channel()}. */
    java.util.Map<String, FamilyMessage.Channel> channels();

    /** The channel of a school. */
    default FamilyMessage.Channel channelOf(String organisationId) {
        return channels().getOrDefault(organisationId, channel());
    }
}
