package be.needtoknow.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.user.KafkaUser;

import be.needtoknow.stack.ServiceSpec;
import be.needtoknow.testing.ServiceConfiguration;

/**
 * The three services' Deployments held to their own configuration, as DockerComposeTest holds
 * docker-compose.yml (deploy/e2e): the port and the health paths, the database and its roles, the
 * broker and the service's principal, the realm, and only environment variables that name a
 * property the service has. With the replicas, budgets and autoscalers the architecture allows, and
 * memory from the measured figures (BENCHMARKS.md).
 */
class ServicesTest {

    /**
     * Runtime properties a deployment may set that a service does not declare in its own file (as
     * DockerComposeTest's list), and the variables of the image's start script (run-java.sh of
     * ubi9/openjdk-17-runtime, src/main/docker/Dockerfile.jvm), which are no property.
     */
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_MAX_MEM_RATIO");

    private static final String REALM = "need-to-know";

    private static Manifests.Build build;

    @BeforeAll
    static void load() throws IOException {
        build = Manifests.build(Manifests.DEVELOPMENT);
    }

    private static Container container(String service) {
        List<Container> containers = build.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), service);
        return containers.get(0);
    }

    private static EnvVar env(Container c, String name) {
        List<EnvVar> found = c.getEnv().stream().filter(e -> e.getName().equals(name)).toList();
        assertEquals(1, found.size(), c.getName() + " sets " + name + " " + found.size() + " times");
        return found.get(0);
    }

    private static String value(Container c, String name) {
        EnvVar e = env(c, name);
        assertNull(e.getValueFrom(), c.getName() + ": " + name + " is a value");
        return e.getValue();
    }

    private static String secret(Container c, String name) {
        EnvVar e = env(c, name);
        assertNull(e.getValue(), c.getName() + ": " + name + " is never written in a manifest");
        assertNotNull(e.getValueFrom().getSecretKeyRef(), c.getName() + ": " + name + " comes from a Secret");
        return e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey();
    }

    @Test
    void eachServiceHasItsPortProbesAndOnlyPropertiesItKnows() throws IOException {
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Properties properties = ServiceConfiguration.of(Manifests.REPOSITORY, spec.name()).properties();
            Container c = container(spec.name());
            assertEquals(String.valueOf(spec.port()), properties.getProperty("quarkus.http.port"), spec.name());
            ContainerPort port = c.getPorts().get(0);
            assertEquals(List.of(port), c.getPorts(), spec.name());
            assertEquals("http", port.getName());
            assertEquals(spec.port(), port.getContainerPort(), spec.name());
            assertEquals(String.valueOf(spec.port()), value(c, "QUARKUS_HTTP_PORT"));

            Service service = build.named(Service.class, spec.name());
            assertEquals(Map.of("app.kubernetes.io/name", spec.name()), service.getSpec().getSelector());
            assertEquals(Map.of("app.kubernetes.io/name", spec.name()),
                    build.named(Deployment.class, spec.name()).getSpec().getSelector().getMatchLabels());
            assertEquals(spec.name(), build.named(Deployment.class, spec.name()).getSpec().getTemplate().getMetadata().getLabels()
                    .get("app.kubernetes.io/name"));
            assertEquals(1, service.getSpec().getPorts().size());
            assertEquals(spec.port(), service.getSpec().getPorts().get(0).getPort());
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());

            // SmallRye Health's three groups, on the service's own port.
            assertProbe(spec.name() + " startup", c.getStartupProbe(), "/q/health/started");
            assertProbe(spec.name() + " readiness", c.getReadinessProbe(), "/q/health/ready");
            assertProbe(spec.name() + " liveness", c.getLivenessProbe(), "/q/health/live");

            Set<String> knownVariables = new HashSet<>(IMAGE_VARIABLES);
            knownVariables.addAll(ServiceConfiguration.of(Manifests.REPOSITORY, spec.name()).environmentVariables());
            for (EnvVar variable : c.getEnv()) {
                assertTrue(knownVariables.contains(variable.getName()),
                        spec.name() + ": " + variable.getName() + " names no property that the service has");
            }
            // The prod profile (no QUARKUS_PROFILE): no development default is used anywhere.
            assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().equals("QUARKUS_PROFILE")), spec.name());
            assertTrue(c.getEnv().stream().noneMatch(e -> String.valueOf(e.getValue()).contains("dev-only")), spec.name());
        }
    }

    private static void assertProbe(String what, Probe probe, String path) {
        assertNotNull(probe, what);
        assertEquals(path, probe.getHttpGet().getPath(), what);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), what);
    }

    @Test
    void eachServiceUsesItsOwnDatabaseAndRolesOfTheCluster() throws IOException {
        GenericKubernetesResource cluster = build.generic("Cluster", "ntk-postgres");
        List<Map<String, Object>> roles = Manifests.field(cluster, "spec", "managed", "roles");
        List<String> hba = Manifests.field(cluster, "spec", "postgresql", "pg_hba");
        String init = Files.readString(Manifests.REPOSITORY.resolve("deploy/compose/postgres-init.sql"));
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Properties properties = ServiceConfiguration.of(Manifests.REPOSITORY, spec.name()).properties();
            Container c = container(spec.name());
            assertEquals("jdbc:postgresql://ntk-postgres-rw:5432/" + spec.database(), value(c, "QUARKUS_DATASOURCE_JDBC_URL"));
            assertTrue(properties.getProperty("quarkus.datasource.jdbc.url").endsWith("/" + spec.database()), spec.name());
            assertEquals(spec.appUser(), value(c, "QUARKUS_DATASOURCE_USERNAME"));
            assertEquals(spec.appUser(), properties.getProperty("quarkus.datasource.username"));
            assertEquals(spec.user(), value(c, "QUARKUS_FLYWAY_USERNAME"));
            assertEquals(spec.user(), properties.getProperty("quarkus.flyway.username"));
            // The same databases and roles as docker-compose's PostgreSQL.
            assertTrue(init.contains("CREATE DATABASE " + spec.database() + " OWNER " + spec.user()), spec.database());
            assertTrue(init.contains("CREATE ROLE " + spec.appUser() + " LOGIN"), spec.appUser());

            // The password each role logs in with is the one the cluster gives that role.
            assertEquals(passwordSecret(roles, spec.appUser()) + "/password", secret(c, "QUARKUS_DATASOURCE_PASSWORD"));
            assertEquals(passwordSecret(roles, spec.user()) + "/password", secret(c, "QUARKUS_FLYWAY_PASSWORD"));

            GenericKubernetesResource database = build.generic("Database").stream()
                    .filter(d -> spec.database().equals(Manifests.field(d, "spec", "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Database " + spec.database()));
            assertEquals(spec.user(), Manifests.field(database, "spec", "owner"));
            assertEquals("ntk-postgres", Manifests.field(database, "spec", "cluster", "name"));
            // Its roles reach its own database, and no other.
            String both = spec.user() + "," + spec.appUser();
            int allowed = hba.indexOf("host " + spec.database() + " " + both + " all scram-sha-256");
            int refused = hba.indexOf("host all " + both + " all reject");
            assertTrue(allowed >= 0 && refused > allowed, spec.name() + ": " + hba);
        }
        assertEquals(3, build.generic("Database").size());
        // Keycloak's own database: the cluster's bootstrap database, with Keycloak's secret.
        GenericKubernetesResource keycloak = build.generic("Keycloak", "keycloak");
        assertEquals("keycloak", Manifests.field(cluster, "spec", "bootstrap", "initdb", "database"));
        assertEquals("keycloak", Manifests.field(keycloak, "spec", "db", "database"));
        assertEquals("ntk-postgres-rw", Manifests.field(keycloak, "spec", "db", "host"));
        String bootstrapSecret = Manifests.field(cluster, "spec", "bootstrap", "initdb", "secret", "name");
        assertEquals(bootstrapSecret, Manifests.field(keycloak, "spec", "db", "passwordSecret", "name"));
        assertEquals(bootstrapSecret, Manifests.field(keycloak, "spec", "db", "usernameSecret", "name"));
    }

    private static String passwordSecret(List<Map<String, Object>> roles, String role) {
        for (Map<String, Object> r : roles) {
            if (role.equals(r.get("name"))) {
                assertEquals(true, r.get("login"), role);
                assertEquals("present", r.get("ensure"), role);
                @SuppressWarnings("unchecked")
                Map<String, Object> secret = (Map<String, Object>) r.get("passwordSecret");
                return (String) secret.get("name");
            }
        }
        throw new AssertionError("the cluster has no role " + role);
    }

    /** N2: each service logs in to the broker's internal listener as its own principal. */
    @Test
    void eachServiceLogsInToTheBrokerAsItsOwnPrincipal() throws IOException {
        Kafka kafka = build.named(Kafka.class, "ntk-kafka");
        GenericKafkaListener internal = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getName().equals("internal")).findFirst().orElseThrow();
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Properties properties = ServiceConfiguration.of(Manifests.REPOSITORY, spec.name()).properties();
            Container c = container(spec.name());
            // Strimzi's bootstrap Service: <cluster>-kafka-bootstrap.
            assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap:" + internal.getPort(), value(c, "KAFKA_BOOTSTRAP_SERVERS"));
            String principal = properties.getProperty("ntk.kafka.username");
            assertEquals(spec.name(), principal);
            build.named(KafkaUser.class, principal);
            // The password the User Operator made for that KafkaUser, in the Secret of its name.
            assertEquals(principal + "/password", secret(c, "NTK_KAFKA_PASSWORD"));
            // The internal listener is SASL_PLAINTEXT, the services' default KAFKA_SECURITY_PROTOCOL.
            assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().equals("KAFKA_SECURITY_PROTOCOL")), spec.name());
        }
        assertEquals(false, internal.isTls());
    }

    @Test
    void eachServiceReadsTheRealmOfKeycloakAndTheDeploymentsSecrets() throws IOException {
        GenericKubernetesResource keycloak = build.generic("Keycloak", "keycloak");
        String hostname = Manifests.field(keycloak, "spec", "hostname", "hostname");
        Object httpPort = Manifests.field(keycloak, "spec", "http", "httpPort");
        assertEquals(true, Manifests.field(keycloak, "spec", "hostname", "backchannelDynamic"));
        assertEquals(REALM, Manifests.field(build.generic("KeycloakRealmImport", "need-to-know"), "spec", "realm", "realm"));
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Properties properties = ServiceConfiguration.of(Manifests.REPOSITORY, spec.name()).properties();
            Container c = container(spec.name());
            // Inside the cluster on the operator's Service <name>-service; tokens name the public hostname.
            assertEquals("http://" + keycloak.getMetadata().getName() + "-service:" + httpPort + "/realms/" + REALM,
                    value(c, "QUARKUS_OIDC_AUTH_SERVER_URL"));
            assertTrue(properties.getProperty("quarkus.oidc.auth-server-url").endsWith("/realms/" + REALM));
            assertEquals(hostname + "/realms/" + REALM, value(c, "QUARKUS_OIDC_TOKEN_ISSUER"));
            // The pseudonyms are the same in every service's audit records: one key for all three.
            assertEquals("ntk-pseudonym/key", secret(c, "NTK_PSEUDONYM_KEY"));
        }
        // N1: the grant key, shared by case-service and referral-service only.
        assertEquals("ntk-referral-grant/key", secret(container("case-service"), "NTK_REFERRAL_GRANT_KEY"));
        assertEquals("ntk-referral-grant/key", secret(container("referral-service"), "NTK_REFERRAL_GRANT_KEY"));
        assertTrue(container("audit-service").getEnv().stream().noneMatch(e -> e.getName().equals("NTK_REFERRAL_GRANT_KEY")));
        // A2 and the DPO's console.
        Container audit = container("audit-service");
        assertEquals("ntk-audit-checkpoint/signing-key", secret(audit, "NTK_AUDIT_CHECKPOINT_SIGNING_KEY"));
        assertEquals("ntk-dpo-console/client-secret", secret(audit, "QUARKUS_OIDC_CONSOLE_CREDENTIALS_SECRET"));
        assertEquals("ntk-dpo-console/state-secret", secret(audit, "QUARKUS_OIDC_CONSOLE_AUTHENTICATION_STATE_SECRET"));
    }

    /** The calls between the services (CaseServiceClient; ReferralRecords; audit-service's DirectoryClients) go to the Services. */
    @Test
    void theServicesCallEachOtherByTheirServices() throws IOException {
        assertEquals("http://case-service:8081", value(container("referral-service"), "QUARKUS_REST_CLIENT_CASE_SERVICE_URL"));
        assertEquals("http://case-service:8081", value(container("audit-service"), "QUARKUS_REST_CLIENT_CASE_SERVICE_URL"));
        assertEquals("http://referral-service:8082", value(container("audit-service"), "QUARKUS_REST_CLIENT_REFERRAL_SERVICE_URL"));
        // T4: case-service asks referral-service for the referrals of the family's access package.
        assertEquals("http://referral-service:8082", value(container("case-service"), "QUARKUS_REST_CLIENT_REFERRAL_SERVICE_URL"));

        // referral-service reads the recipient directory from the ConfigMap of the overlay's generator.
        Container referral = container("referral-service");
        String file = value(referral, "NTK_RECIPIENTS_FILE");
        VolumeMount mount = referral.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume holds " + file));
        assertEquals(true, mount.getReadOnly());
        Volume volume = build.named(Deployment.class, "referral-service").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String configMap = volume.getConfigMap().getName();
        Manifests.Generator generator = build.configMapGenerators().stream().filter(g -> g.name().equals(configMap)).findFirst()
                .orElseThrow(() -> new AssertionError("the overlay makes no ConfigMap " + configMap));
        assertEquals(List.of(file.substring(mount.getMountPath().length() + 1)), generator.files());
    }

    /**
     * X, T4: case-service alone mails the family's links, through the site's SMTP relay, with links
     * to the pages' public addresses (never a Service's address inside the cluster, which no family
     * can open).
     */
    @Test
    void onlyCaseServiceMailsTheFamilyThroughTheRelay() {
        Container c = container("case-service");
        assertTrue(!value(c, "QUARKUS_MAILER_HOST").isBlank(), "the SMTP relay");
        assertEquals("587", value(c, "QUARKUS_MAILER_PORT"), "the relay's submission port, which the NetworkPolicy opens");
        assertTrue(value(c, "QUARKUS_MAILER_FROM").contains("@"), "the sender");
        // The mail carries the family's credential: TLS to the relay, or no mail at all.
        assertEquals("REQUIRED", value(c, "QUARKUS_MAILER_START_TLS"));
        for (String variable : List.of("NTK_FAMILY_CASE_SERVICE_URL", "NTK_FAMILY_REFERRAL_SERVICE_URL")) {
            assertTrue(value(c, variable).startsWith("https://"), variable + ": a public address, over TLS");
        }
        for (String other : List.of("referral-service", "audit-service")) {
            assertTrue(container(other).getEnv().stream()
                    .noneMatch(e -> e.getName().startsWith("QUARKUS_MAILER_") || e.getName().startsWith("NTK_FAMILY_")),
                    other + " mails the family");
        }
    }

    /**
     * case-service and referral-service are stateless (two relays on one outbox: FaultTest h): two at
     * least, a budget, an autoscaler. audit-service has one writer under the log's lock (FaultTest b):
     * two, a budget, no autoscaler.
     */
    @Test
    void replicasBudgetsAndAutoscalersAreWhatTheArchitectureAllows() {
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Deployment d = build.named(Deployment.class, spec.name());
            assertTrue(d.getSpec().getReplicas() >= 2, spec.name());
            // Spread over nodes, so that the budget's one survivor is on another node.
            var spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertEquals(1, spread.size(), spec.name());
            assertEquals("kubernetes.io/hostname", spread.get(0).getTopologyKey());
            assertEquals(d.getSpec().getSelector().getMatchLabels(), spread.get(0).getLabelSelector().getMatchLabels());
            // No service calls the Kubernetes API: no token of it in the pod.
            assertEquals(false, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(), spec.name());
            assertEquals(true, d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), spec.name());
            assertEquals(false, container(spec.name()).getSecurityContext().getAllowPrivilegeEscalation(), spec.name());
            PodDisruptionBudget pdb = build.named(PodDisruptionBudget.class, spec.name());
            assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal(), spec.name());
            assertEquals(d.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        }
        for (String name : List.of("case-service", "referral-service")) {
            HorizontalPodAutoscaler hpa = build.named(HorizontalPodAutoscaler.class, name);
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertEquals(name, hpa.getSpec().getScaleTargetRef().getName());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2, name);
            assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas(), name);
            assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
            // Utilisation is of the request: the container must request processor time.
            assertNotNull(container(name).getResources().getRequests().get("cpu"), name);
        }
        assertEquals(List.of("case-service", "referral-service"),
                build.all(HorizontalPodAutoscaler.class).stream().map(h -> h.getMetadata().getName()).sorted().toList());
        assertEquals(2, build.named(Deployment.class, "audit-service").getSpec().getReplicas());
    }

    /** The memory requested covers the resident memory measured (BENCHMARKS.md), the limit the heap twice over. */
    @Test
    void memoryComesFromTheMeasuredFigures() throws IOException {
        String benchmarks = Files.readString(Manifests.REPOSITORY.resolve("BENCHMARKS.md"));
        List<String> seen = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.defaults()) {
            Matcher m = Pattern.compile("\\| " + spec.name() + " resident memory, MiB: idle / end of 32 clients \\| (\\d+) / (\\d+) \\|")
                    .matcher(benchmarks);
            assertTrue(m.find(), "BENCHMARKS.md has no resident memory of " + spec.name());
            long peak = Math.max(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            Container c = container(spec.name());
            long request = mebibytes(c.getResources().getRequests().get("memory"));
            long limit = mebibytes(c.getResources().getLimits().get("memory"));
            assertTrue(request >= peak, spec.name() + ": requests " + request + " MiB, measured " + peak);
            // The measurements ran with a 384 MiB heap: JAVA_MAX_MEM_RATIO=50 of the limit gives the same.
            assertEquals(384, limit * Long.parseLong(value(c, "JAVA_MAX_MEM_RATIO")) / 100, spec.name());
            assertNull(c.getResources().getLimits().get("cpu"), spec.name() + ": no processor limit");
            seen.add(spec.name());
            assertTrue(Files.readString(Manifests.BASE.resolve(spec.name() + ".yaml")).contains("BENCHMARKS.md"),
                    spec.name() + ": the manifest names the source of its figures");
        }
        assertEquals(3, seen.size());
    }

    private static long mebibytes(Quantity q) {
        return Quantity.getAmountInBytes(q).longValueExact() / (1024 * 1024);
    }
}
