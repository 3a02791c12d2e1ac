package be.needtoknow.referrals.recipient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.common.database.DatabaseStartup;
import io.smallrye.common.annotation.Identifier;

/**
 * The recipient directory, loaded at start from {@code ntk.recipients.file} (once the database is
 * there: {@link DatabaseStartup}): each recipient, and which CLB serves which school. Each
 * recipient gets its own topic, ntk.referrals.&lt;id&gt;.v1.
 */
@ApplicationScoped
public class RecipientDirectory {

    private static final Logger LOG = Logger.getLogger(RecipientDirectory.class);

    /** The file's shape. */
    public record Entry(String id, String name, Recipient.Type type, List<String> serves, boolean directlyAccessible) {
    }

    public record File(List<Entry> recipients) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "ntk.recipients.file")
    Optional<String> file;

    /** The Kafka client settings every channel shares (address, SASL), as Quarkus gathers them from kafka.*. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    void onDatabaseReady(@Observes DatabaseStartup.Ready event) throws IOException {
        if (file.isEmpty()) {
            LOG.warn("No recipient directory (ntk.recipients.file): referrals cannot be addressed yet");
            return;
        }
        File directory = json.readValue(Files.readString(Path.of(file.get())), File.class);
        load(directory);
        // Off the start-up path: with the broker down, the check waits up to 30 s for it.
        List<String> topics = directory.recipients().stream().map(e -> Recipient.topicOf(e.id())).toList();
        Thread check = new Thread(() -> checkTopics(topics), "recipient-topics-check");
        check.setDaemon(true);
        check.start();
    }

    @Transactional
    void load(File directory) {
        for (Entry entry : directory.recipients()) {
            Recipient recipient = Recipient.byId(entry.id()).orElseGet(Recipient::new);
            recipient.id = entry.id();
            recipient.name = entry.name();
            recipient.type = entry.type();
            recipient.directlyAccessible = entry.directlyAccessible();
            recipient.persist();
        }
        em.flush();
        for (Entry entry : directory.recipients()) {
            for (String school : entry.serves() == null ? List.<String>of() : entry.serves()) {
                em.createNativeQuery("insert into clb_serves_school (school_id, clb_id) values (?1, ?2) "
                        + "on conflict (school_id) do update set clb_id = excluded.clb_id")
                        .setParameter(1, school).setParameter(2, entry.id()).executeUpdate();
            }
        }
    }

    /**
     * Says which recipients' topics are missing. This service may write to the recipients' topics
     * but not create them, nor a recipient's principal or ACLs (deploy/kafka/access.json): a
     * broker's administrator does, with the commands of deploy/suite.sh kafka-access (the run
     * command does it at start). Until then a referral to that recipient is not delivered: the
     * relay parks it (at once if this service may not write the topic, after
     * ntk.outbox.park-after failed rounds if the topic does not exist), and an operator retries it
     * once the topic is there.
     */
    void checkTopics(List<String> topics) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
            if (!missing.isEmpty()) {
                LOG.errorf("The topics of recipients %s do not exist (or this service may not write them): referrals to them "
                        + "are not delivered but parked (GET /operator/parked-events). A broker administrator creates the "
                        + "topics, principals and ACLs with the commands printed by: deploy/suite.sh kafka-access "
                        + "<recipient>...; then an operator retries the parked referrals", missing);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.errorf("Could not check the recipients' topics %s: %s", topics, e.getCause().toString());
        }
    }

    /** The CLB that serves a school, if any. */
    public Optional<String> clbServing(String schoolId) {
        List<?> rows = em.createNativeQuery("select clb_id from clb_serves_school where school_id = ?1")
                .setParameter(1, schoolId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
    }
}
