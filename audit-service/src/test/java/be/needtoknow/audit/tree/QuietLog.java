package be.needtoknow.audit.tree;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;

/** Records appended through ingest, for the tree's tests: published, then waited for until the log is quiet. */
final class QuietLog {

    private static final String SCHOOL = "school-sint-jan";

    private QuietLog() {
    }

    /** Publishes records of Sint-Jansschool and waits until ingest has appended them and the log's size holds; that size. */
    static long appended(MerkleLog tree, PupilPseudonyms pseudonyms, int records) {
        long before = tree.size();
        for (int i = 0; i < records; i++) {
            AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL,
                    pseudonyms.of(SCHOOL, "p-" + i), "bart.counsellor", "case-file.open"));
        }
        AtomicLong last = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = tree.size();
            return now >= before + records && now == last.getAndSet(now);
        });
        return tree.size();
    }
}
