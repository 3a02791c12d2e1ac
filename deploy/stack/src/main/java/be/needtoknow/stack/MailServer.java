package be.needtoknow.stack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The embedded stack's mail server: GreenMail, a real SMTP server (where case-service delivers the
 * family's mail) and a real IMAP server (where the demo families, the walkthrough and the tests read
 * it), in this JVM, on 127.0.0.1. Every address is a mailbox; a mailbox is opened with its own
 * address as the user name and any password (a development server: authentication is off, nothing
 * here is a real family's mail). Mail lives in memory: a restart of the suite empties the mailboxes.
 */
public final class MailServer implements AutoCloseable {

    private final GreenMail server;

    private MailServer(GreenMail server) {
        this.server = server;
    }

    /** Starts SMTP and IMAP on these ports; 0 lets the system choose (the tests). */
    public static MailServer start(int smtpPort, int imapPort) {
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        GreenMail server = new GreenMail(new ServerSetup[] { smtpPort == 0 ? smtp.dynamicPort() : smtp,
                imapPort == 0 ? imap.dynamicPort() : imap })
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        server.start();
        return new MailServer(server);
    }

    public int smtpPort() {
        return server.getSmtp().getPort();
    }

    public int imapPort() {
        return server.getImap().getPort();
    }

    /** The messages received so far, all mailboxes together. */
    public int received() {
        return server.getReceivedMessages().length;
    }

    @Override
    public void close() {
        server.stop();
    }
}
