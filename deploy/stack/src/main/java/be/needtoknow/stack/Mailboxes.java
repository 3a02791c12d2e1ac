package be.needtoknow.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;

/**
 * Reads a mailbox of the embedded mail server over IMAP, as a family's mail program would: what
 * {@code deploy/suite.sh mail ADDRESS} prints and what the tests read a family's links from.
 */
public final class Mailboxes {

    /** A family link inside a message: a transfer notice, an access package or a referral notice. */
    private static final Pattern LINK = Pattern.compile("https?://\\S+/(transfer-notices|access-packages|referral-notices)/[A-Za-z0-9._-]+");

    /** One message as its addressee reads it. */
    public record Mail(String from, String to, String subject, String text) {

        /** The first family link of this kind in the text ("transfer-notices", "access-packages", ...). */
        public Optional<String> link(String kind) {
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(kind)) {
                    return Optional.of(m.group());
                }
            }
            return Optional.empty();
        }
    }

    private Mailboxes() {
    }

    /** Every message in the address's inbox, oldest first. */
    public static List<Mail> read(String host, int imapPort, String address) {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "5000");
        try (Store store = Session.getInstance(props).getStore("imap")) {
            // The development server has authentication off: the address is the user, any password opens it.
            store.connect(host, imapPort, address, "development");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<Mail> mails = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    mails.add(new Mail(String.valueOf(m.getFrom()[0]), address, m.getSubject(), text(m)));
                }
                return mails;
            } finally {
                inbox.close(false);
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("Could not read the mailbox of " + address + ": " + e.getMessage(), e);
        }
    }

    /** The plain-text part of a message. */
    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < multi.getCount(); i++) {
                s.append(text(multi.getBodyPart(i)));
            }
            return s.toString();
        }
        return "";
    }
}
