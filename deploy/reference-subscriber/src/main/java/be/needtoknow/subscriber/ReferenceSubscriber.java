package be.needtoknow.subscriber;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

/**
 * The reference subscriber of a recipient (a CLB or a care service). It
 * <ol>
 * <li>reads only its own topic, {@code ntk.referrals.<recipient>.v1}, in its own consumer group
 * ({@code <recipient>.reference-subscriber}), as its own Kafka principal (SASL SCRAM-SHA-512): the
 * broker allows it nothing else (deploy/kafka/access.json);</li>
 * <li>reads each record as a CloudEvent with the CloudEvents SDK for Kafka (binary mode: the
 * {@code ce_*} headers are the event's attributes, the record's value its data);</li>
 * <li>deduplicates on the CloudEvents id ({@code ce_id}): the suite publishes at least once, so a
 * referral may arrive twice; the ids seen are kept in a file, so a restart does not print them
 * again;</li>
 * <li>prints each referral (the event's data is exactly what the school previewed);</li>
 * <li>acknowledges receipt through the API, with its own service account (client credentials),
 * and only then commits the offset: a crash before that means the event is read again, and the
 * id file makes that harmless.</li>
 * </ol>
 * Configuration, from the environment: NTK_RECIPIENT, NTK_KAFKA, NTK_KAFKA_USER (default the
 * recipient), NTK_KAFKA_PASSWORD, NTK_KAFKA_CA (a PEM file of the broker's CA certificate: TLS, for
 * a broker's external listener such as the Kubernetes deployment's; unset: plaintext, as the
 * embedded stack), NTK_CLIENT_ID, NTK_CLIENT_SECRET, NTK_TOKEN_URL, NTK_REFERRAL_API, NTK_STATE (the
 * file of seen ids).
 */
public final class ReferenceSubscriber implements AutoCloseable {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    /** Where to read, whom to be, where to acknowledge. */
    public record Settings(String recipient, String kafka, String kafkaUser, String kafkaPassword, Path kafkaCa,
            String clientId, String clientSecret, String tokenUrl, String referralApi, Path state) {

        /** Without TLS to the broker (the embedded stack's listener). */
        public Settings(String recipient, String kafka, String kafkaUser, String kafkaPassword, String clientId,
                String clientSecret, String tokenUrl, String referralApi, Path state) {
            this(recipient, kafka, kafkaUser, kafkaPassword, null, clientId, clientSecret, tokenUrl, referralApi, state);
        }

        static Settings fromEnvironment() {
            Map<String, String> env = System.getenv();
            String recipient = require(env, "NTK_RECIPIENT");
            return new Settings(recipient, env.getOrDefault("NTK_KAFKA", "127.0.0.1:9092"),
                    env.getOrDefault("NTK_KAFKA_USER", recipient), require(env, "NTK_KAFKA_PASSWORD"),
                    env.containsKey("NTK_KAFKA_CA") ? Path.of(env.get("NTK_KAFKA_CA")) : null,
                    env.getOrDefault("NTK_CLIENT_ID", recipient + "-system"), require(env, "NTK_CLIENT_SECRET"),
                    env.getOrDefault("NTK_TOKEN_URL", "http://127.0.0.1:8180/realms/need-to-know/protocol/openid-connect/token"),
                    env.getOrDefault("NTK_REFERRAL_API", "http://127.0.0.1:8082"),
                    Path.of(env.getOrDefault("NTK_STATE", recipient + ".seen-ids")));
        }

        private static String require(Map<String, String> env, String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Set " + name);
            }
            return value;
        }
    }

    private final Settings settings;
    private final KafkaConsumer<String, CloudEvent> consumer;
    private final Set<String> seen = new HashSet<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrintStream out;

    public ReferenceSubscriber(Settings settings, PrintStream out) throws IOException {
        this.settings = settings;
        this.out = out;
        if (Files.exists(settings.state())) {
            seen.addAll(Files.readAllLines(settings.state()));
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, settings.kafkaCa() == null ? "SASL_PLAINTEXT" : "SASL_SSL");
        if (settings.kafkaCa() != null) {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, settings.kafkaCa().toString());
        }
        props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + settings.kafkaUser() + "\" password=\"" + settings.kafkaPassword() + "\";");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.recipient() + ".reference-subscriber");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("ntk.referrals." + settings.recipient() + ".v1"));
    }

    /** Polls until nothing new arrived for {@code idle}; returns how many new events it handled. */
    public int pollUntilIdle(Duration idle) throws IOException, InterruptedException {
        int handled = 0;
        Instant quietSince = Instant.now();
        while (Duration.between(quietSince, Instant.now()).compareTo(idle) < 0) {
            var records = consumer.poll(Duration.ofMillis(200));
            for (ConsumerRecord<String, CloudEvent> record : records) {
                if (handle(record.value())) {
                    handled++;
                }
                quietSince = Instant.now();
            }
            consumer.commitSync();
        }
        return handled;
    }

    /** Returns false for a duplicate. */
    boolean handle(CloudEvent event) throws IOException, InterruptedException {
        String id = event.getId();
        if (seen.contains(id)) {
            return false;
        }
        String type = event.getType();
        String subject = event.getSubject(); // referral/<id>
        String data = event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        out.println(type + " " + subject + " " + data);
        if ("be.needtoknow.referral.sent.v1".equals(type) && subject != null && subject.startsWith("referral/")) {
            acknowledge(subject.substring("referral/".length()));
        }
        seen.add(id);
        Files.writeString(settings.state(), id + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return true;
    }

    private void acknowledge(String referralId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(settings.referralApi() + "/referrals/" + referralId + "/receipt"))
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        // 409: acknowledged before (or withdrawn meanwhile): nothing to do.
        if (response.statusCode() != 200 && response.statusCode() != 409) {
            throw new IOException("Receipt of referral " + referralId + " refused: HTTP " + response.statusCode());
        }
    }

    private String token() throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IOException("No token for " + settings.clientId() + ": HTTP " + response.statusCode());
        }
        return m.group(1);
    }

    @Override
    public void close() {
        consumer.close();
    }

    public static void main(String[] args) throws Exception {
        try (ReferenceSubscriber subscriber = new ReferenceSubscriber(Settings.fromEnvironment(), System.out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(subscriber.consumer::wakeup));
            while (true) {
                subscriber.pollUntilIdle(Duration.ofSeconds(5));
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopped) {
            // stopped
        } catch (org.apache.kafka.common.errors.AuthenticationException | org.apache.kafka.common.errors.AuthorizationException refused) {
            // The broker's own refusal (deploy/kafka/access.json): say so plainly, without a stack trace.
            System.err.println("Kafka refused: " + refused.getMessage());
            System.exit(3);
        }
    }
}
