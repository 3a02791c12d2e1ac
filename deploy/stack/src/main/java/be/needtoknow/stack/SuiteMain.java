package be.needtoknow.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The launcher behind deploy/suite.sh.
 * <ul>
 * <li>{@code up}: starts the suite on the fixed ports, loads the demo data, writes
 * {@code run/ready} with the summary and runs until it is stopped (SIGTERM), then stops everything
 * it started;</li>
 * <li>{@code token USER} or {@code token --client CLIENT}: prints an access token for a demo user or
 * a service account of the development realm;</li>
 * <li>{@code kafka-access [PRINCIPAL...]}: prints the topics, principals and ACLs of
 * deploy/kafka/access.json and the recipient directory as commands for a broker's administrator;</li>
 * <li>{@code mail ADDRESS}: prints the messages in one mailbox of the running suite's mail server
 * (IMAP on 127.0.0.1:2143), as the family's mail program would show them: the family's links
 * reach the family only (X, T4), so this is where a walkthrough reads them.</li>
 * </ul>
 * The state directory is {@code NTK_HOME} (default {@code .ntk} in the repository).
 */
public final class SuiteMain {

    private SuiteMain() {
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(System.getProperty("ntk.repository", ".")).toAbsolutePath().normalize();
        String homeSetting = System.getenv().getOrDefault("NTK_HOME", repository.resolve(".ntk").toString());
        Path home = Path.of(homeSetting).toAbsolutePath().normalize();
        String command = args.length == 0 ? "help" : args[0];
        quietLogging();
        switch (command) {
            case "up" -> up(repository, home);
            case "token" -> token(args);
            case "kafka-access" -> kafkaAccess(repository, List.of(args).subList(1, args.length));
            case "mail" -> mail(repository, home, args);
            default -> {
                System.err.println("usage: up | token USER | token --client CLIENT | kafka-access [PRINCIPAL...] | mail ADDRESS");
                System.exit(2);
            }
        }
    }

    /** Kafka and PostgreSQL log through java.util.logging here; keep warnings and errors only. */
    private static void quietLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** The commands for the principals named (all when none), for the directory of NTK_RECIPIENTS_FILE or the demo one. */
    private static void kafkaAccess(Path repository, List<String> principals) throws IOException {
        String directory = System.getenv("NTK_RECIPIENTS_FILE");
        KafkaAccess access = directory == null || directory.isBlank() ? KafkaAccess.ofRepository(repository)
                : KafkaAccess.load(repository.resolve("deploy/kafka/access.json"), Path.of(directory));
        try {
            System.out.print(access.commands(new java.util.LinkedHashSet<>(principals)));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void token(String[] args) {
        String endpoint = System.getenv().getOrDefault("NTK_KEYCLOAK_URL", "http://127.0.0.1:8180")
                + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token";
        if (args.length == 3 && args[1].equals("--client")) {
            System.out.println(Tokens.clientCredentials(endpoint, args[2], Tokens.devSecret(args[2])));
        } else if (args.length == 2) {
            System.out.println(Tokens.password(endpoint, args[1], Tokens.DEMO_PASSWORD));
        } else {
            System.err.println("usage: token USER | token --client CLIENT");
            System.exit(2);
        }
    }

    /**
     * The messages of one address's mailbox on the running suite's mail server, oldest first: from,
     * subject and text, the link on its own line as the family receives it. Reads IMAP on the run
     * command's fixed port; a development server, whose mailboxes open with any password.
     */
    private static void mail(Path repository, Path home, String[] args) {
        if (args.length != 2 || args[1].isBlank()) {
            System.err.println("usage: mail ADDRESS   (e.g. mail els.vermeulen@example.org)");
            System.exit(2);
        }
        String address = args[1].trim();
        int imapPort = Suite.Settings.fixedPorts(repository, home, null).imapPort();
        List<Mailboxes.Mail> mails;
        try {
            mails = Mailboxes.read("127.0.0.1", imapPort, address);
        } catch (IllegalStateException e) {
            System.err.println("need-to-know: " + e.getMessage() + " (is the suite running? deploy/suite.sh status)");
            System.exit(1);
            return;
        }
        if (mails.isEmpty()) {
            System.out.println("No mail for " + address + ".");
            return;
        }
        System.out.println(mails.size() + (mails.size() == 1 ? " message" : " messages") + " for " + address
                + " (oldest first):");
        for (int i = 0; i < mails.size(); i++) {
            Mailboxes.Mail mail = mails.get(i);
            System.out.println();
            System.out.println("--- " + (i + 1) + " of " + mails.size() + " ---");
            System.out.println("From:    " + mail.from());
            System.out.println("Subject: " + mail.subject());
            System.out.println();
            System.out.println(mail.text().replace("\r\n", "\n").stripTrailing());
        }
    }

    private static void up(Path repository, Path home) throws Exception {
        Path run = home.resolve("run");
        Files.createDirectories(run);
        Files.deleteIfExists(run.resolve("ready"));
        Files.deleteIfExists(run.resolve("failed"));
        Leftovers.stop(run.resolve("children.pids"), home);
        PostgresServer.stopOrphan(home.resolve("postgres"));
        long started = System.nanoTime();
        Suite suite;
        try {
            String externalPostgres = System.getenv("NTK_POSTGRES");
            suite = Suite.start(Suite.Settings.fixedPorts(repository, home,
                    externalPostgres == null || externalPostgres.isBlank() ? null : externalPostgres.trim()),
                    home.resolve("keycloak"));
            Files.writeString(run.resolve("children.pids"),
                    suite.childPids().stream().map(String::valueOf).collect(Collectors.joining("\n")) + "\n");
            DemoData.load(suite);
        } catch (Exception e) {
            Files.writeString(run.resolve("failed"), String.valueOf(e.getMessage()) + "\n");
            System.err.println("The suite did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            suite.close();
            try {
                Files.deleteIfExists(run.resolve("ready"));
                Files.deleteIfExists(run.resolve("children.pids"));
            } catch (IOException e) {
                // nothing left to do
            }
            stopped.countDown();
        }, "suite-stop"));
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        Files.writeString(run.resolve("ready"), summary(suite, home, seconds));
        stopped.await();
    }

    static String summary(Suite suite, Path home, long seconds) {
        StringBuilder s = new StringBuilder();
        s.append("need-to-know is up (stack and services ready in ").append(seconds).append(" s).\n\n");
        s.append("Services (OpenAPI at /q/openapi, health at /q/health, metrics at /q/metrics):\n");
        for (ServiceSpec service : suite.settings().services()) {
            s.append(String.format("  %-17s %s   Swagger UI: %s/q/swagger-ui%n", service.name(), service.url(), service.url()));
        }
        s.append("\nWitnesses of the audit log (C2SP tlog-witness; audit-service needs a cosignature of each;\n")
                .append("the latest cosigned checkpoint at /checkpoint?origin=").append(Witnesses.LOG_ORIGIN).append("):\n");
        for (Witnesses.Running witness : suite.witnesses().running()) {
            s.append(String.format("  %-17s %s   verifier key %s  (%s)%n", witness.spec().party(), witness.url(),
                    witness.verifierKey(), witness.spec().description()));
        }
        s.append("\nStack:\n");
        s.append("  Keycloak          ").append(suite.keycloak().url()).append("  (realm ").append(KeycloakServer.REALM)
                .append(", admin console user 'admin', password '").append(Suite.DEV_KEYCLOAK_ADMIN[1]).append("')\n");
        s.append("  Kafka             ").append(suite.kafka().bootstrapServers())
                .append("  (SASL SCRAM-SHA-512, ACLs of deploy/kafka/access.json; ").append(suite.kafkaAccess().topics().size())
                .append(" topics; principal X's password is dev-only-kafka-X)\n");
        s.append("  PostgreSQL        ").append(suite.settings().postgresAddress())
                .append(suite.settings().externalPostgres() != null ? " (existing server)" : "").append("  (databases: ")
                .append(suite.settings().services().stream().map(ServiceSpec::database).collect(Collectors.joining(", ")))
                .append(")\n");
        if (suite.settings().externalPostgres() == null) {
            // What a crash may cost: a durable server acknowledges a commit once it is on disk.
            try {
                s.append("                    durability: ").append(suite.postgres().show(PostgresServer.DURABILITY_SETTINGS)
                        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "))).append("\n");
            } catch (java.sql.SQLException e) {
                s.append("                    durability: could not be read (").append(e.getMessage()).append(")\n");
            }
        }
        s.append("  Mail server       SMTP 127.0.0.1:").append(suite.mail().smtpPort()).append(", IMAP 127.0.0.1:")
                .append(suite.mail().imapPort())
                .append("  (case-service mails the family's links to the addresses of the pupil register;\n")
                .append("                    every address is a mailbox, kept in memory until the suite stops)\n");
        s.append("  State and logs    ").append(home).append("\n\n");
        s.append("Tokens (development realm; every demo user's password is '").append(Tokens.DEMO_PASSWORD).append("'):\n");
        s.append("  TOKEN=$(deploy/suite.sh token bart.counsellor)\n");
        s.append("  TOKEN=$(deploy/suite.sh token --client school-sint-jan-system)\n");
        s.append("  Demo users: ").append(String.join(", ", DEMO_USERS)).append("\n");
        s.append("\nThe family's mail (its links reach the parents and the pupil only, never a staff member's answer):\n");
        s.append("  read a demo family's mail: deploy/suite.sh mail els.vermeulen@example.org\n");
        s.append("\nStop with: deploy/suite.sh stop\n");
        return s.toString();
    }

    static final List<String> DEMO_USERS = List.of("an.teacher", "bart.counsellor", "carla.coordinator",
            "dirk.principal", "eva.discipline", "frank.dpo (school-sint-jan)", "greet.teacher", "hans.counsellor",
            "ilse.coordinator", "jan.principal", "karin.discipline", "luc.dpo (school-de-linde)",
            "mia.clb", "nina.dpo (clb-gent)", "omar.clb", "petra.dpo (clb-brugge)", "quinten.care (care-jongerenhulp)");
}
