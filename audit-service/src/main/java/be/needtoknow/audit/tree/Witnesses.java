package be.needtoknow.audit.tree;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The witnesses of the audit log (A2): programs run by the other parties (a CLB, a care service,
 * the school board, an outside auditor), each with its own key and storage, configured with
 * {@code ntk.audit.witnesses} (entries {@code <url> <verifier key>}, comma-separated). Each new
 * checkpoint goes to each of them by the C2SP tlog-witness protocol ({@code POST <url>/add-checkpoint}
 * with the size it cosigned last and the consistency proof from there); each cosignature that
 * verifies is kept beside the checkpoint and served with it. A checkpoint counts as witnessed when
 * {@code ntk.audit.witness-quorum} of them cosigned it.
 *
 * <p>A witness that has cosigned more records than the log holds, or that refuses the checkpoint
 * (not consistent with what it cosigned), raises the alarm: that is how a cut tail or a rewritten
 * history is found by someone other than the log's operator. A witness that cannot be reached is
 * only logged: it is asked again with the next checkpoint.
 */
@ApplicationScoped
public class Witnesses {

    private static final Logger LOG = Logger.getLogger(Witnesses.class);
    private static final String SIZE_TYPE = "text/x.tlog.size";

    /** A configured witness. */
    public record Witness(String url, WitnessKey key) {
        public String name() {
            return key.name();
        }
    }

    /** What one witness has cosigned, as verification and the log's state report it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WitnessState(String name, String url, Long largestCosignedSize, OffsetDateTime cosignedAt) {
    }

    @ConfigProperty(name = "ntk.audit.witnesses")
    Optional<List<String>> configured;

    @ConfigProperty(name = "ntk.audit.witness-quorum", defaultValue = "1")
    int quorum;

    @Inject
    MerkleLog tree;

    @Inject
    Checkpoints checkpoints;

    @Inject
    AuditAlarms alarms;

    @Inject
    EntityManager em;

    private volatile List<Witness> witnesses;
    /**
     * The witnesses asked since the service started. The first request to each is sent with old
     * size 0, as the protocol allows, so that the witness answers the size it cosigned last: after
     * a start, what the witnesses hold is compared with the log at once, not with the log's own
     * (possibly shortened) record of what they cosigned.
     */
    private final java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A configuration error stops the start, rather than the first checkpoint. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        all();
    }

    public List<Witness> all() {
        if (witnesses == null) {
            List<Witness> parsed = new ArrayList<>();
            for (String entry : configured.orElse(List.of())) {
                String[] parts = entry.trim().split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("ntk.audit.witnesses: each entry is '<url> <verifier key>'");
                }
                parsed.add(new Witness(parts[0].replaceAll("/+$", ""), WitnessKey.parse(parts[1])));
            }
            witnesses = List.copyOf(parsed);
        }
        return witnesses;
    }

    /** How many witnesses must cosign a checkpoint for it to count as witnessed. */
    public int quorum() {
        return Math.min(quorum, all().size());
    }

    /**
     * Asks every witness that has not cosigned this checkpoint to cosign it, one after the other
     * (outside any transaction: a witness answers over the network).
     *
     * @return the checkpoint with every cosignature kept for it
     */
    public synchronized String cosign(Checkpoints.Checkpoint checkpoint) {
        for (Witness witness : all()) {
            boolean known = asked.contains(witness.key().text());
            long old = known ? largestCosigned(witness) : 0;
            if (known && old >= checkpoint.treeSize()) {
                continue; // it cosigned this one, or a newer one already
            }
            try {
                ask(witness, checkpoint, old, true);
                asked.add(witness.key().text());
            } catch (java.io.IOException e) {
                LOG.warnf("Witness %s could not be reached (%s): asked again with the next checkpoint", witness.name(),
                        e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cosigned(checkpoint);
            }
        }
        return cosigned(checkpoint);
    }

    private void ask(Witness witness, Checkpoints.Checkpoint checkpoint, long old, boolean again)
            throws java.io.IOException, InterruptedException {
        long size = checkpoint.treeSize();
        StringBuilder body = new StringBuilder("old ").append(old).append('\n');
        if (old > 0 && old < size) {
            Base64.Encoder b64 = Base64.getEncoder();
            for (byte[] hash : tree.hashes(Rfc9162.consistency(old, size))) {
                body.append(b64.encodeToString(hash)).append('\n');
            }
        }
        body.append('\n').append(checkpoint.note());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(witness.url() + "/add-checkpoint"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status == 200) {
            Optional<WitnessKey.Cosignature> cosignature = witness.key().cosignatureIn(response.body(),
                    WitnessKey.body(checkpoint.note()));
            if (cosignature.isEmpty()) {
                alarms.raise(AuditAlarms.Kind.WITNESS_REFUSED, "witness " + witness.name()
                        + " answered the checkpoint of size " + size + " without a cosignature that verifies with its key");
                return;
            }
            keep(witness, size, cosignature.get());
            return;
        }
        boolean sizeAnswer = status == 409
                && response.headers().firstValue("Content-Type").orElse("").startsWith(SIZE_TYPE);
        if (sizeAnswer) {
            long theirs;
            try {
                theirs = Long.parseLong(response.body().trim());
            } catch (NumberFormatException e) {
                theirs = -1;
            }
            if (theirs > size) {
                alarms.raise(AuditAlarms.Kind.TAIL_CUT, "witness " + witness.name() + " has cosigned " + theirs
                        + " records of this log, which now holds " + size + ": records were removed");
                return;
            }
            if (theirs >= 0 && theirs != old && again) {
                ask(witness, checkpoint, theirs, false); // it cosigned a size this instance did not keep
                return;
            }
        }
        if (status >= 500) {
            LOG.warnf("Witness %s failed to answer (status %d): asked again with the next checkpoint", witness.name(), status);
            return;
        }
        String why = switch (status) {
            case 409 -> old == size || sizeAnswer ? "a different root hash for a size it cosigned (a fork)" : "a conflict";
            case 422 -> "not consistent with the checkpoint of size " + old + " it cosigned (a fork)";
            case 403 -> "a log signature it does not trust";
            case 404 -> "a log it does not know";
            default -> "status " + status;
        };
        alarms.raise(AuditAlarms.Kind.WITNESS_REFUSED, "witness " + witness.name() + " refused the checkpoint of size "
                + size + ": " + why);
    }

    @Transactional
    void keep(Witness witness, long size, WitnessKey.Cosignature cosignature) {
        em.createNativeQuery("insert into cosignature (witness, tree_size, line, cosigned_at) values (?1, ?2, ?3, ?4) "
                + "on conflict do nothing")
                .setParameter(1, witness.key().text()).setParameter(2, size).setParameter(3, cosignature.line())
                .setParameter(4, Instant.ofEpochSecond(cosignature.timestamp()).atOffset(ZoneOffset.UTC)).executeUpdate();
    }

    /** The checkpoint's note with the cosignatures kept for it that verify, in the order of the configuration. */
    @Transactional
    public String cosigned(Checkpoints.Checkpoint checkpoint) {
        StringBuilder note = new StringBuilder(checkpoint.note());
        String body = WitnessKey.body(checkpoint.note());
        Map<String, String> lines = lines(checkpoint.treeSize());
        for (Witness witness : all()) {
            String line = lines.get(witness.key().text());
            if (line != null) {
                witness.key().cosignatureIn(line, body).ifPresent(c -> note.append(c.line()));
            }
        }
        return note.toString();
    }

    /** Per witness, the largest checkpoint it cosigned (a cosignature that verifies over a checkpoint the log signed). */
    @Transactional
    public List<WitnessState> states() {
        List<WitnessState> states = new ArrayList<>();
        for (Witness witness : all()) {
            WitnessState state = new WitnessState(witness.name(), witness.url(), null, null);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select c.tree_size, c.line, k.note from cosignature c "
                    + "join checkpoint k on k.tree_size = c.tree_size where c.witness = ?1 order by c.tree_size desc limit 100")
                    .setParameter(1, witness.key().text()).getResultList();
            for (Object[] row : rows) {
                String note = (String) row[2];
                if (CheckpointNote.verify(note, checkpoints.verifierKey()).isEmpty()) {
                    continue;
                }
                Optional<WitnessKey.Cosignature> c = witness.key().cosignatureIn((String) row[1], WitnessKey.body(note));
                if (c.isPresent()) {
                    state = new WitnessState(witness.name(), witness.url(), ((Number) row[0]).longValue(),
                            Instant.ofEpochSecond(c.get().timestamp()).atOffset(ZoneOffset.UTC));
                    break;
                }
            }
            states.add(state);
        }
        return states;
    }

    /** The largest size that a quorum of witnesses cosigned, or null (none yet, or no witnesses). */
    public Long witnessedSize(List<WitnessState> states) {
        if (all().isEmpty()) {
            return null;
        }
        List<Long> sizes = states.stream().map(WitnessState::largestCosignedSize).filter(s -> s != null)
                .sorted(java.util.Comparator.reverseOrder()).toList();
        // A witness that cosigned size n vouches for every smaller size that the log proves consistent with n.
        return sizes.size() >= quorum() ? sizes.get(quorum() - 1) : null;
    }

    private Map<String, String> lines(long size) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select witness, line from cosignature where tree_size = ?1")
                .setParameter(1, size).getResultList();
        Map<String, String> lines = new HashMap<>();
        rows.forEach(r -> lines.put((String) r[0], (String) r[1]));
        return lines;
    }

    /** The largest size this witness cosigned, as this log kept it (0 if none). */
    @Transactional
    long largestCosigned(Witness witness) {
        return ((Number) em.createNativeQuery("select coalesce(max(tree_size), 0) from cosignature where witness = ?1")
                .setParameter(1, witness.key().text()).getSingleResult()).longValue();
    }
}
