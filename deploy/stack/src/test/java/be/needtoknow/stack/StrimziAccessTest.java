package be.needtoknow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Strimzi resources of deploy/k8s are what deploy/kafka/access.json makes today (N2), as
 * deploy/kafka/demo-access.sh is (KafkaAccessTest): no broker here; deploy/k8s's tests read the
 * committed files with Strimzi's model and compare every ACL with the description.
 */
class StrimziAccessTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void theCommittedResourcesAreWhatTheDescriptionMakesToday() throws Exception {
        assertEquals(StrimziAccess.resources(REPOSITORY, null, StrimziAccess.Part.SERVICES),
                Files.readString(REPOSITORY.resolve("deploy/k8s/base/kafka-access.yaml"), StandardCharsets.UTF_8),
                "deploy/k8s/base/kafka-access.yaml is stale: deploy/suite.sh k8s-kafka-access services > deploy/k8s/base/kafka-access.yaml");
        assertEquals(StrimziAccess.resources(REPOSITORY, null, StrimziAccess.Part.RECIPIENTS),
                Files.readString(REPOSITORY.resolve("deploy/k8s/overlays/development/kafka-recipients.yaml"), StandardCharsets.UTF_8),
                "deploy/k8s/overlays/development/kafka-recipients.yaml is stale: deploy/suite.sh k8s-kafka-access recipients"
                        + " > deploy/k8s/overlays/development/kafka-recipients.yaml");
    }

    @Test
    void theTwoPartsHoldEveryTopicAndPrincipalOfTheDescriptionOnce() throws Exception {
        KafkaAccess access = KafkaAccess.ofRepository(REPOSITORY);
        List<String> topics = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (StrimziAccess.Part part : StrimziAccess.Part.values()) {
            String yaml = StrimziAccess.resources(REPOSITORY, null, part);
            topics.addAll(names(yaml, "KafkaTopic"));
            users.addAll(names(yaml, "KafkaUser"));
        }
        assertEquals(access.topics().stream().sorted().toList(), topics.stream().sorted().toList());
        assertEquals(access.principals().stream().sorted().toList(), users.stream().sorted().toList());
        String services = StrimziAccess.resources(REPOSITORY, null, StrimziAccess.Part.SERVICES);
        assertEquals(List.of("ntk.audit.v1", "ntk.audit.v1.dlq"), names(services, "KafkaTopic"));
        assertEquals(List.of("case-service", "referral-service", "audit-service"), names(services, "KafkaUser"));
    }

    @Test
    void anotherDirectoryGivesItsOwnRecipientsAndNoneOfTheDemo(@TempDir Path dir) throws Exception {
        Path directory = dir.resolve("recipients.json");
        Files.writeString(directory, "{\"recipients\":[{\"id\":\"clb-leuven\",\"name\":\"CLB Leuven\",\"type\":\"CLB\"}]}");
        String yaml = StrimziAccess.resources(REPOSITORY, directory, StrimziAccess.Part.RECIPIENTS);
        assertEquals(List.of("ntk.referrals.clb-leuven.v1", "ntk.referrals.clb-leuven.v1.dlq"), names(yaml, "KafkaTopic"));
        assertEquals(List.of("clb-leuven"), names(yaml, "KafkaUser"));
        assertFalse(yaml.contains("clb-gent"), yaml);
        // Its consumer groups are its own prefix; it writes only its own dead letters.
        assertTrue(yaml.contains("type: group\n          name: clb-leuven.\n          patternType: prefix\n        operations:\n          - Read\n"), yaml);
        assertTrue(yaml.contains("name: ntk.referrals.clb-leuven.v1.dlq\n          patternType: literal\n        operations:\n          - Write\n"), yaml);
        assertEquals(Set.of("clb-leuven"), StrimziAccess.recipientIds(directory));
    }

    private static List<String> names(String yaml, String kind) {
        Matcher m = Pattern.compile("kind: " + kind + "\nmetadata:\n  name: (\\S+)\n").matcher(yaml);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
