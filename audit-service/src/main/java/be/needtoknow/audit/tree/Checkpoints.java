package be.needtoknow.audit.tree;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import be.needtoknow.common.database.DatabaseStartup;
import io.quarkus.scheduler.Scheduled;

/**
 * Signed checkpoints of the audit log (C2SP tlog-checkpoint): the origin, the tree size and the
 * root hash, signed with the log's Ed25519 key, at an interval ({@code ntk.audit.checkpoint.interval})
 * when the log grew, and on the DPO's demand; each then goes to the witnesses for their
 * cosignatures ({@link Witnesses}). Kept (append-only), so that verification can say which
 * checkpoints today's tree still matches.
 */
@ApplicationScoped
public class Checkpoints {

    /** A signed checkpoint. */
    public record Checkpoint(long treeSize, byte[] rootHash, String note, OffsetDateTime signedAt) {
    }

    @ConfigProperty(name = "ntk.audit.origin")
    String origin;

    @ConfigProperty(name = "ntk.audit.checkpoint.signing-key")
    String signingKey;

    @Inject
    MerkleLog tree;

    @Inject
    EntityManager em;

    @Inject
    DatabaseStartup startup;

    @Inject
    Witnesses witnesses;

    private volatile NoteSigner signer;

    NoteSigner signer() {
        if (signer == null) {
            signer = NoteSigner.parse(signingKey);
        }
        return signer;
    }

    /** The verifier key, to publish: name+keyid+base64(0x01 ‖ public key). */
    public String verifierKey() {
        return signer().verifierKey();
    }

    public String origin() {
        return origin;
    }

    @Scheduled(every = "${ntk.audit.checkpoint.interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onInterval() {
        if (!startup.done()) {
            return; // the tree is not loaded yet: the service waits for its database
        }
        if (tree.size() > latest().map(Checkpoint::treeSize).orElse(0L)) {
            sign();
        }
        latest().ifPresent(witnesses::cosign); // also asks again a witness that was down
    }

    /**
     * Signs the tree as it is now (or returns the checkpoint of this size when there is one). Fenced
     * like an append: it signs what is in the tree, after what another instance appended, and
     * nothing at all while a row that did not come through ingest is there (A2).
     */
    @Transactional
    public Checkpoint sign() {
        tree.refresh();
        long size = tree.size();
        Optional<Checkpoint> existing = at(size);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] root = tree.root(size);
        String body = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
        Checkpoint checkpoint = new Checkpoint(size, root, signer().sign(body), OffsetDateTime.now(ZoneOffset.UTC));
        em.createNativeQuery("insert into checkpoint (tree_size, root_hash, note, signed_at) values (?1, ?2, ?3, ?4) "
                + "on conflict (tree_size) do nothing")
                .setParameter(1, checkpoint.treeSize()).setParameter(2, checkpoint.rootHash())
                .setParameter(3, checkpoint.note()).setParameter(4, checkpoint.signedAt()).executeUpdate();
        return checkpoint;
    }

    @Transactional
    public Optional<Checkpoint> latest() {
        return query("order by tree_size desc limit 1").stream().findFirst();
    }

    @Transactional
    public Optional<Checkpoint> at(long size) {
        return query("where tree_size = ?1", size).stream().findFirst();
    }

    /** Every checkpoint, smallest first. */
    @Transactional
    public List<Checkpoint> all() {
        return query("order by tree_size");
    }

    @SuppressWarnings("unchecked")
    private List<Checkpoint> query(String clause, Object... parameters) {
        var query = em.createNativeQuery("select tree_size, root_hash, note, signed_at from checkpoint " + clause);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new Checkpoint(((Number) r[0]).longValue(), (byte[]) r[1], (String) r[2],
                r[3] instanceof OffsetDateTime t ? t : ((java.time.Instant) r[3]).atOffset(ZoneOffset.UTC))).toList();
    }
}
