package be.needtoknow.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import be.needtoknow.stack.Mailboxes;
import be.needtoknow.stack.Suite;

/**
 * The family's side of the family channel (X, T4, M1): the parents and the pupil receive their links
 * by e-mail, never through a staff member's answer, so a test takes a family link where the family
 * finds it: in their mailbox on the suite's mail server (real SMTP in, real IMAP out). Mailboxes fill
 * up over the shared suite's run (the demo families are used by several classes), so a test marks a
 * mailbox before the action that sends, and takes the newest link of the kind after it.
 *
 * <p>Failure messages here name the mailbox and the kind of link, never a link: its secret is the
 * family's credential.
 */
final class FamilyMail {

    /** The kinds of family link, as they appear in a link's path. */
    static final String TRANSFER_NOTICE = "transfer-notices";
    static final String ACCESS_PACKAGE = "access-packages";
    static final String REFERRAL_NOTICE = "referral-notices";

    private FamilyMail() {
    }

    /** The address of a test pupil's parent, unique to the pupil (so a mailbox holds that pupil's mail only). */
    static String parentOf(String pupilId) {
        return "parent-" + pupilId + "@example.org";
    }

    /** A test pupil's own address (used from 12, M1). */
    static String pupilAddressOf(String pupilId) {
        return "pupil-" + pupilId + "@example.org";
    }

    /** The mail in one address's mailbox, oldest first. */
    static List<Mailboxes.Mail> read(Suite suite, String address) {
        return suite.mailbox(address);
    }

    /** The links of this kind in the mailbox, oldest first. */
    static List<String> links(Suite suite, String address, String kind) {
        return read(suite, address).stream().map(m -> m.link(kind)).flatMap(Optional::stream).toList();
    }

    /** A mailbox as it was before an action: how many links of the kind it held. */
    static Mark mark(Suite suite, String address, String kind) {
        return new Mark(suite, address, kind, links(suite, address, kind).size());
    }

    /** The id and secret of a link, "id.secret": what the family presents, after "/kind/". */
    static String credential(String link, String kind) {
        String marker = "/" + kind + "/";
        int at = link.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("not a link of kind " + kind);
        }
        return link.substring(at + marker.length());
    }

    /** The secret of a link: what only its addressee may ever hold. */
    static String secret(String link, String kind) {
        String credential = credential(link, kind);
        return credential.substring(credential.indexOf('.') + 1);
    }

    /** A mailbox marked before an action, to take what the action sent. */
    record Mark(Suite suite, String address, String kind, int before) {

        /**
         * The newest link of the kind that arrived after the mark. case-service stores the letter with
         * the action and its mail sender sends it once the action committed, so the test waits for it.
         */
        String next() {
            // A condition on the count only: a timeout's message then holds no link.
            await("a new " + kind + " mail for " + address).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> links(suite, address, kind).size() > before);
            List<String> after = links(suite, address, kind);
            return after.get(after.size() - 1);
        }

        /** The message that brought the newest link of the kind, once it arrived. */
        Mailboxes.Mail nextMail() {
            String link = next();
            List<Mailboxes.Mail> mails = read(suite, address);
            for (int i = mails.size() - 1; i >= 0; i--) {
                if (mails.get(i).link(kind).filter(link::equals).isPresent()) {
                    return mails.get(i);
                }
            }
            throw new AssertionError("the " + kind + " mail for " + address + " is gone");
        }
    }
}
