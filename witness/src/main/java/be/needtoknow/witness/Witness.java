package be.needtoknow.witness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A witness of the audit log: a party that checks the log (a CLB, the school board, an outside
 * auditor) runs one of its own. It follows C2SP tlog-witness and tlog-cosignature: the log sends each
 * new signed checkpoint with a consistency proof from the last one this witness cosigned, and gets
 * a timestamped Ed25519 cosignature only if the checkpoint extends that one. So the log cannot show
 * one history to one party and another to another, nor shrink or rewrite its history, without the
 * witnesses refusing, raising an alarm and keeping the refused checkpoint as evidence.
 * <p>
 * This is deliberately an independent implementation: it shares no code with audit-service (its
 * signed notes, keys, Merkle proofs and storage are written here anew from the C2SP and RFC 9162
 * texts), so that a mistake in the log's code is not repeated in the code that checks it. It uses
 * only the JDK: its HTTP server and its Ed25519.
 * <p>
 * HTTP interface (one URL prefix for submission and monitoring):
 * <ul>
 * <li>{@code POST /add-checkpoint}: see {@link AddCheckpoint};</li>
 * <li>{@code GET /checkpoint?origin=<origin>}: the latest checkpoint it cosigned for that origin,
 * with the log's signature and its own cosignature line ({@code text/plain}); 404 if none;</li>
 * <li>{@code GET /health}: 200 once it listens.</li>
 * </ul>
 * Command line:
 * <pre>
 * Witness serve --signer-key-file F --log '&lt;origin&gt; &lt;log verifier key&gt;' [--log ...] --storage DIR [--host H] [--port N]
 * Witness generate-key &lt;name&gt;
 * Witness verifier-key --signer-key-file F
 * </pre>
 * For tests and embedding: {@link #start(Config)}.
 */
public final class Witness implements AutoCloseable {

    static final String TEXT = "text/plain; charset=utf-8";
    /** A request body larger than this is refused (413): a checkpoint and 63 proof lines are far smaller. */
    static final int MAX_BODY = 256 * 1024;

    /**
     * What a witness needs.
     *
     * @param signerKey its own signer key, {@code PRIVATE+KEY+<name>+<key id>+<base64(0x04 ‖ seed)>}
     * @param logs the logs it witnesses, each {@code "<origin> <log verifier key>"}; an origin may be
     *            given more than once, with several keys
     * @param storage its directory (created if missing)
     * @param host the address to listen on
     * @param port the port, 0 for any free one
     * @param log where its log lines go (cosignatures, ALARM lines)
     */
    public record Config(String signerKey, List<String> logs, Path storage, String host, int port, Consumer<String> log) {

        public Config {
            Objects.requireNonNull(signerKey, "signerKey");
            logs = List.copyOf(logs);
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(log, "log");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
        }

        /** On 127.0.0.1, a free port, logging to standard output. */
        public Config(String signerKey, List<String> logs, Path storage) {
            this(signerKey, logs, storage, "127.0.0.1", 0, System.out::println);
        }

        public Config withHost(String newHost) {
            return new Config(signerKey, logs, storage, newHost, port, log);
        }

        public Config withPort(int newPort) {
            return new Config(signerKey, logs, storage, host, newPort, log);
        }

        public Config withLog(Consumer<String> newLog) {
            return new Config(signerKey, logs, storage, host, port, newLog);
        }
    }

    private final CosignerKey key;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final CheckpointStore store;
    private final AddCheckpoint addCheckpoint;
    private final Consumer<String> log;

    private Witness(CosignerKey key, HttpServer server, ThreadPoolExecutor executor, CheckpointStore store,
            AddCheckpoint addCheckpoint, Consumer<String> log) {
        this.key = key;
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.addCheckpoint = addCheckpoint;
        this.log = log;
    }

    /** Reads the keys and the kept state, and listens; returns once it does. */
    public static Witness start(Config config) throws IOException {
        CosignerKey key = CosignerKey.parse(config.signerKey());
        Map<String, List<LogKey>> trusted = trustedLogs(config.logs());
        CheckpointStore store = CheckpointStore.open(config.storage());
        AddCheckpoint addCheckpoint = new AddCheckpoint(key, trusted, store, config.log(), Clock.systemUTC());
        HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread thread = new Thread(r, "witness-http-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        Witness witness = new Witness(key, server, executor, store, addCheckpoint, config.log());
        server.createContext("/", witness::handle);
        server.start();
        return witness;
    }

    /** The witnessed logs: origin to its trusted verifier keys. */
    static Map<String, List<LogKey>> trustedLogs(List<String> logs) {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("a witness witnesses at least one log (--log '<origin> <verifier key>')");
        }
        Map<String, List<LogKey>> trusted = new LinkedHashMap<>();
        for (String entry : logs) {
            String text = entry.strip();
            int space = text.lastIndexOf(' ');
            if (space <= 0) {
                throw new IllegalArgumentException("a log is given as '<origin> <verifier key>'");
            }
            String origin = text.substring(0, space).strip();
            if (origin.isEmpty() || origin.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("a log's origin is one non-empty line");
            }
            trusted.computeIfAbsent(origin, o -> new ArrayList<>()).add(LogKey.parse(text.substring(space + 1)));
        }
        trusted.replaceAll((origin, keys) -> List.copyOf(keys));
        return trusted;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}: the submission and monitoring prefix. */
    public String url() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Its name: the key name of its cosignatures. */
    public String name() {
        return key.name();
    }

    /** Its verifier key, {@code <name>+<key id>+<base64(0x04 ‖ public key)>}, to give to the log operator. */
    public String verifierKey() {
        return key.verifierKey();
    }

    /** A new signer key for a witness named {@code name} (keep it secret). */
    public static String generateKey(String name) {
        return CosignerKey.generate(name);
    }

    /** The verifier key of a signer key. */
    public static String verifierKeyOf(String signerKey) {
        return CosignerKey.parse(signerKey).verifierKey();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/add-checkpoint" -> {
                    if (!method.equals("POST")) {
                        notAllowed(exchange, "POST");
                        return;
                    }
                    byte[] body = readBody(exchange.getRequestBody());
                    if (body == null) {
                        respond(exchange, AddCheckpoint.Answer.text(413, "the request body is too large"));
                        return;
                    }
                    respond(exchange, addCheckpoint.handle(body));
                }
                case "/checkpoint" -> {
                    if (!method.equals("GET")) {
                        notAllowed(exchange, "GET");
                        return;
                    }
                    String origin = queryParameter(exchange.getRequestURI().getRawQuery(), "origin");
                    if (origin == null) {
                        respond(exchange, AddCheckpoint.Answer.text(400, "give the log's origin: /checkpoint?origin=<origin>"));
                        return;
                    }
                    respond(exchange, store.latest(origin)
                            .map(entry -> new AddCheckpoint.Answer(200, TEXT, entry.note()))
                            .orElse(AddCheckpoint.Answer.text(404, "no checkpoint cosigned for this origin")));
                }
                case "/health" -> respond(exchange, AddCheckpoint.Answer.text(200, "ok"));
                default -> respond(exchange, AddCheckpoint.Answer.text(404, "not found"));
            }
        } catch (RuntimeException e) {
            log.accept("Request failed: " + e);
            throw e;
        }
    }

    /** The body, or null when it is larger than {@link #MAX_BODY}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            return null; // the rest is left unread: the server closes the connection
        }
        return body;
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        respond(exchange, AddCheckpoint.Answer.text(405, "method not allowed"));
    }

    private static void respond(HttpExchange exchange, AddCheckpoint.Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    // --- Command line

    private static final String USAGE = String.join("\n",
            "usage:",
            "  Witness serve --signer-key-file F --log '<origin> <log verifier key>' [--log ...] --storage DIR"
                    + " [--host 127.0.0.1] [--port 0]",
            "  Witness generate-key <name>          prints a new signer key, then its verifier key",
            "  Witness verifier-key --signer-key-file F");

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Runs a command; returns its exit status, or -1 for a witness that serves until it is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "generate-key" -> {
                    if (args.length != 2) {
                        err.println(USAGE);
                        return 2;
                    }
                    String signerKey = generateKey(args[1]);
                    out.println(signerKey);
                    out.println(verifierKeyOf(signerKey));
                    return 0;
                }
                case "verifier-key" -> {
                    Map<String, List<String>> options = options(args);
                    out.println(verifierKeyOf(readKey(single(options, "--signer-key-file", null))));
                    return 0;
                }
                case "serve" -> {
                    serve(options(args), out);
                    return -1;
                }
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("witness: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static void serve(Map<String, List<String>> options, PrintStream out) throws IOException, InterruptedException {
        Config config = new Config(readKey(single(options, "--signer-key-file", null)),
                options.getOrDefault("--log", List.of()), Path.of(single(options, "--storage", null)),
                single(options, "--host", "127.0.0.1"), Integer.parseInt(single(options, "--port", "0")),
                line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                });
        Witness witness = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            witness.close();
            stopped.countDown();
        }, "witness-stop"));
        config.log().accept("witness " + witness.name() + " listening on " + witness.url());
        config.log().accept("verifier key " + witness.verifierKey());
        trustedLogs(config.logs()).forEach((origin, keys) -> keys.forEach(
                k -> config.log().accept("witnessing " + origin + " signed by " + k)));
        stopped.await();
    }

    private static String readKey(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are given as --name value: " + args[i]);
            }
            options.computeIfAbsent(args[i], o -> new ArrayList<>()).add(args[i + 1]);
        }
        for (String option : options.keySet()) {
            if (!List.of("--signer-key-file", "--log", "--storage", "--host", "--port").contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return options;
    }

    private static String single(Map<String, List<String>> options, String name, String fallback) {
        List<String> values = options.get(name);
        if (values == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("missing " + name);
            }
            return fallback;
        }
        if (values.size() != 1) {
            throw new IllegalArgumentException(name + " is given once");
        }
        return values.get(0);
    }
}
