package be.needtoknow.cases.family;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The mail sender of the family channel: takes the e-mails waiting in {@code family_letter}, sends
 * each through the SMTP relay and deletes it once the relay took it. A letter the relay does not
 * take (down, refusing, too slow) waits and is tried again, later each time (up to an hour apart):
 * a message staff were told was sent is never dropped. Several instances of case-service share the
 * work: a sender takes its letters with {@code FOR UPDATE SKIP LOCKED} and moves their due time on
 * before it sends, outside any transaction; a sender that dies mid-send leaves its letters to
 * another after {@link #CLAIM}. So a letter can, rarely, go out twice (the same link): never none.
 * Logs name the letter's id only: never the address, the subject or the text with its link.
 */
@ApplicationScoped
public class FamilyPost {

    private static final Logger LOG = Logger.getLogger(FamilyPost.class);
    /** Letters one run takes. */
    static final int BATCH = 20;
    /** How long a taken letter is left to its sender before another may take it. */
    static final Duration CLAIM = Duration.ofMinutes(1);
    /** How long the relay may take to accept one message. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    ReactiveMailer mailer;

    @Inject
    EntityManager em;

    private record Taken(UUID id, String address, String subject, String text, int attempts) {
    }

    @Scheduled(every = "${ntk.family.mail-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        List<Taken> taken;
        do {
            taken = take();
            for (Taken letter : taken) {
                send(letter);
            }
        } while (taken.size() == BATCH);
    }

    @SuppressWarnings("unchecked")
    private List<Taken> take() {
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            List<Object[]> rows = em.createNativeQuery("UPDATE family_letter SET due_at = ?1 WHERE id IN (SELECT id FROM "
                    + "family_letter WHERE channel = 'MAIL' AND due_at <= ?2 ORDER BY due_at LIMIT ?3 FOR UPDATE SKIP LOCKED) "
                    + "RETURNING id, address, subject, text, attempts")
                    .setParameter(1, now.plus(CLAIM)).setParameter(2, now).setParameter(3, BATCH).getResultList();
            return rows.stream().map(r -> new Taken((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                    ((Number) r[4]).intValue())).toList();
        });
    }

    private void send(Taken letter) {
        try {
            mailer.send(Mail.withText(letter.address(), letter.subject(), letter.text())).await().atMost(SEND_TIMEOUT);
        } catch (RuntimeException e) {
            int attempts = letter.attempts() + 1;
            Duration wait = Duration.ofSeconds(Math.min(3600, 1L << Math.min(attempts, 12)));
            // The exception's message may quote the message or the address: its type only.
            LOG.warnf("Family letter %s not taken by the mail relay (%s, attempt %d); trying again in %s", letter.id(),
                    e.getClass().getSimpleName(), attempts, wait);
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE family_letter SET attempts = ?1, due_at = ?2 WHERE id = ?3")
                    .setParameter(1, attempts).setParameter(2, OffsetDateTime.now(ZoneOffset.UTC).plus(wait))
                    .setParameter(3, letter.id()).executeUpdate());
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM family_letter WHERE id = ?1")
                .setParameter(1, letter.id()).executeUpdate());
    }
}
