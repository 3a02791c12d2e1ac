package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import be.needtoknow.stack.KafkaAccess;
import be.needtoknow.stack.ServiceSpec;
import be.needtoknow.testing.ServiceConfiguration;

/**
 * docker-compose.yml cannot be started on a machine without Docker, so this test holds it to the
 * services' configuration: the same services, ports, databases and roles as the embedded stack,
 * and only environment variables that name a property the service actually has.
 */
class DockerComposeTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("ntk.repository", "../..")).toAbsolutePath().normalize();

    /** Runtime properties a compose file may set that a service does not declare in its own file. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(REPOSITORY.resolve("docker-compose.yml"))) {
            return (Map<String, Object>) new Yaml(options).load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertTrue(services.containsKey(name), "docker-compose.yml has no service " + name);
        return (Map<String, Object>) services.get(name);
    }

    @Test
    void theStackIsTheSame() throws IOException {
        for (String infrastructure : List.of("postgres", "kafka", "keycloak")) {
            service(infrastructure);
        }
        assertTrue(String.valueOf(service("kafka").get("image")).startsWith("apache/kafka:"));
        assertTrue(String.valueOf(service("postgres").get("image")).startsWith("postgres:"));
        assertTrue(String.valueOf(service("keycloak").get("image")).contains("keycloak/keycloak:"));
        assertTrue(String.valueOf(service("keycloak").get("volumes")).contains("./deploy/keycloak/realm.json"),
                "Keycloak imports the realm of deploy/keycloak");
        assertEquals(List.of("8180:8180"), service("keycloak").get("ports"));
        assertEquals(List.of("9092:9092"), service("kafka").get("ports"));
        assertEquals(List.of("5432:5432"), service("postgres").get("ports"));
    }

    /** N2: the broker of docker-compose refuses what no ACL allows, and gets the ACLs of the one description. */
    @Test
    @SuppressWarnings("unchecked")
    void theBrokerAuthenticatesEveryoneAndAppliesTheAccessDescription() throws IOException {
        Map<String, Object> kafka = (Map<String, Object>) service("kafka").get("environment");
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", kafka.get("KAFKA_AUTHORIZER_CLASS_NAME"));
        assertEquals("false", String.valueOf(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")));
        assertEquals("SCRAM-SHA-512", kafka.get("KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SASL_ENABLED_MECHANISMS"));
        assertTrue(String.valueOf(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).matches("[A-Z_]+:SASL_PLAINTEXT(,[A-Z_]+:SASL_PLAINTEXT)*"),
                "every listener authenticates");
        assertEquals(List.of("9092:9092"), service("kafka").get("ports"), "the administrator's listener is not published");
        Map<String, Object> access = service("kafka-access");
        assertTrue(String.valueOf(access.get("volumes")).contains("./deploy/kafka/demo-access.sh"));
        Map<String, Object> env = (Map<String, Object>) access.get("environment");
        KafkaAccess description = KafkaAccess.ofRepository(REPOSITORY);
        for (String principal : description.principals()) {
            assertEquals(KafkaAccess.developmentPassword(principal), env.get(KafkaAccess.passwordVariable(principal)), principal);
        }
        // Each service logs in as its principal of the description, with the same development password.
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Properties properties = ServiceConfiguration.of(REPOSITORY, spec.name()).properties();
            assertEquals(spec.name(), properties.getProperty("ntk.kafka.username"));
            assertTrue(description.principals().contains(spec.name()), spec.name());
            assertEquals(KafkaAccess.developmentPassword(spec.name()), properties.getProperty("%local.ntk.kafka.password"));
        }
    }

    /**
     * X, T4: case-service mails the family's links through the compose file's mail server, with links
     * that lead to the pages at the addresses the family opens them on; no other service mails.
     */
    @Test
    @SuppressWarnings("unchecked")
    void caseServiceMailsTheFamilyThroughTheMailServer() throws IOException {
        Map<String, Object> mail = service("mail");
        assertTrue(String.valueOf(mail.get("image")).startsWith("greenmail/standalone:"), "a mail server with SMTP and IMAP");
        String options = String.valueOf(((Map<String, Object>) mail.get("environment")).get("GREENMAIL_OPTS"));
        assertTrue(options.contains("-Dgreenmail.setup.test.smtp") && options.contains("-Dgreenmail.setup.test.imap"), options);
        // IMAP on the port deploy/suite.sh mail reads (the embedded stack's); SMTP for case-service only.
        assertEquals(List.of("2143:3143"), mail.get("ports"));
        Map<String, Object> caseService = service("case-service");
        assertTrue(((Map<String, Object>) caseService.get("depends_on")).containsKey("mail"), "case-service waits for the mail server");
        Map<String, Object> env = (Map<String, Object>) caseService.get("environment");
        assertEquals("mail", env.get("QUARKUS_MAILER_HOST"));
        assertEquals("3025", String.valueOf(env.get("QUARKUS_MAILER_PORT")));
        assertTrue(String.valueOf(env.get("QUARKUS_MAILER_FROM")).contains("@"), "a sender address");
        // The family opens the links from the host: the services' published ports.
        assertEquals("http://localhost:" + ServiceSpec.defaults().get(0).port(), env.get("NTK_FAMILY_CASE_SERVICE_URL"));
        assertEquals("http://localhost:" + ServiceSpec.defaults().get(1).port(), env.get("NTK_FAMILY_REFERRAL_SERVICE_URL"));
        for (String other : List.of("referral-service", "audit-service")) {
            Map<String, Object> otherEnv = (Map<String, Object>) service(other).get("environment");
            assertTrue(otherEnv.keySet().stream().noneMatch(v -> v.startsWith("QUARKUS_MAILER_") || v.startsWith("NTK_FAMILY_")),
                    other + " mails the family");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceHasItsPortDatabaseAndOnlyPropertiesItKnows() throws IOException {
        String init = Files.readString(REPOSITORY.resolve("deploy/compose/postgres-init.sql"));
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Map<String, Object> service = service(spec.name());
            ServiceConfiguration configuration = ServiceConfiguration.of(REPOSITORY, spec.name());
            Properties properties = configuration.properties();
            Map<String, Object> env = (Map<String, Object>) service.get("environment");

            assertEquals(String.valueOf(spec.port()), properties.getProperty("quarkus.http.port"), spec.name());
            assertEquals(List.of(spec.port() + ":" + spec.port()), service.get("ports"), spec.name());
            assertEquals(String.valueOf(spec.port()), String.valueOf(env.get("QUARKUS_HTTP_PORT")), spec.name());
            assertEquals("jdbc:postgresql://postgres:5432/" + spec.database(), env.get("QUARKUS_DATASOURCE_JDBC_URL"));
            assertTrue(properties.getProperty("quarkus.datasource.jdbc.url").endsWith("/" + spec.database()), spec.name());
            assertEquals(spec.appUser(), env.get("QUARKUS_DATASOURCE_USERNAME"));
            assertEquals(spec.appUser(), properties.getProperty("quarkus.datasource.username"));
            assertEquals(spec.user(), env.get("QUARKUS_FLYWAY_USERNAME"));
            assertEquals(spec.user(), properties.getProperty("quarkus.flyway.username"));
            assertTrue(init.contains("CREATE DATABASE " + spec.database() + " OWNER " + spec.user()), spec.database());
            assertTrue(init.contains("CREATE ROLE " + spec.appUser() + " LOGIN"), spec.appUser());
            assertTrue(String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS")).startsWith("kafka:"), spec.name());
            assertEquals("http://keycloak:8180/realms/need-to-know", env.get("QUARKUS_OIDC_AUTH_SERVER_URL"));
            assertTrue(properties.getProperty("quarkus.oidc.auth-server-url").endsWith("/realms/need-to-know"));
            Set<String> knownVariables = configuration.environmentVariables();
            for (String variable : env.keySet()) {
                assertTrue(knownVariables.contains(variable),
                        spec.name() + ": " + variable + " names no property that the service has");
            }
            Map<String, Object> build = (Map<String, Object>) service.get("build");
            assertEquals("./" + spec.name(), build.get("context"));
            assertTrue(Files.exists(REPOSITORY.resolve(spec.name()).resolve(String.valueOf(build.get("dockerfile")))),
                    spec.name() + " has no " + build.get("dockerfile"));
        }
    }
}
