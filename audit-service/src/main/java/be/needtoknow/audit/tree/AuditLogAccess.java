package be.needtoknow.audit.tree;

import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.audit.DpoOnly;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.ProblemException;

/**
 * The DPO's access to the log's proofs (A2, A3): checkpoints, inclusion and consistency proofs
 * (hashes in base64, in RFC 9162 order), verification. A DPO proves the inclusion of their own
 * organisation's records only; every request is itself recorded in the trail.
 */
@ApplicationScoped
public class AuditLogAccess {

    @Inject
    MerkleLog tree;

    @Inject
    Checkpoints checkpoints;

    @Inject
    Verification verification;

    @Inject
    AuditTrail audit;

    @Inject
    DpoOnly dpoOnly;

    @Inject
    EntityManager em;

    @Inject
    Witnesses witnesses;

    @Inject
    LogMonitor monitor;

    @Inject
    AuditAlarms alarms;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InclusionProof(long leafIndex, long treeSize, String record, String leafHash, List<String> hashes,
            String checkpoint) {
    }

    public record ConsistencyProof(long first, long second, List<String> hashes) {
    }

    /**
     * The log's state for the DPO: its size, the latest checkpoint with its cosignatures, per
     * witness the largest size it cosigned, the largest size a quorum cosigned, the monitor's last
     * run, whether the log appends, and the alarms raised.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(long treeSize, String checkpoint, List<Witnesses.WitnessState> witnesses, int witnessQuorum,
            Long witnessedSize, LogMonitor.Run lastVerification, String appendingStopped, List<AuditAlarms.Alarm> alarms) {
    }

    private void dpo(Caller caller, String action) {
        dpoOnly.require(caller, access(caller, action), "reads the audit trail's proofs");
    }

    private static Access access(Caller caller, String action) {
        return new Access(action, caller.organisationId(), null, "audit-log", null, "accountability",
                LegalBasis.ACCOUNTABILITY);
    }

    @Transactional
    public Checkpoints.Checkpoint latestCheckpoint(Caller caller) {
        dpo(caller, "audit.checkpoint.read");
        Checkpoints.Checkpoint latest = checkpoints.latest().orElseGet(() -> sign(caller, "audit.checkpoint.read"));
        audit.granted(caller, access(caller, "audit.checkpoint.read"));
        return latest;
    }

    @Transactional
    public Checkpoints.Checkpoint signNow(Caller caller) {
        dpo(caller, "audit.checkpoint.sign");
        Checkpoints.Checkpoint checkpoint = sign(caller, "audit.checkpoint.sign");
        audit.granted(caller, access(caller, "audit.checkpoint.sign"));
        return checkpoint;
    }

    /** A new checkpoint; none while the log appends nothing (a row not added by ingest, see the alarm). */
    private Checkpoints.Checkpoint sign(Caller caller, String action) {
        if (tree.stopped() == null) {
            try {
                return checkpoints.sign();
            } catch (IllegalStateException e) {
                if (tree.stopped() == null) {
                    throw e;
                }
            }
        }
        throw new Refused(caller, access(caller, action), "the log appends and signs nothing (alarm)",
                ProblemException.unavailable("audit-log-stopped", tree.stopped()));
    }

    /** The size a proof is for: as asked, or the latest checkpoint's; never beyond the tree. */
    private long treeSize(Caller caller, String action, Long asked, String parameter) {
        long size = tree.size();
        if (asked != null && (asked < 1 || asked > size)) {
            throw new Refused(caller, access(caller, action), parameter + " beyond the tree",
                    ProblemException.badRequest("beyond-the-tree", parameter + " " + asked + " is not a size of the tree, "
                    + "which holds " + size + " records."));
        }
        return asked != null ? asked : checkpoints.latest().orElseGet(() -> sign(caller, action)).treeSize();
    }

    @Transactional
    public InclusionProof inclusion(Caller caller, long leafIndex, Long askedSize) {
        String action = "audit.proof.inclusion";
        dpo(caller, action);
        long size = treeSize(caller, action, askedSize, "treeSize");
        if (leafIndex >= size) {
            throw new Refused(caller, access(caller, action), "leaf beyond the tree size",
                    ProblemException.badRequest("beyond-the-tree", "leafIndex " + leafIndex + " is not in a tree of size "
                    + size + (askedSize == null ? " (the latest checkpoint): sign a new one (POST /audit-log/checkpoints) to "
                            + "prove a newer record." : ".")));
        }
        @SuppressWarnings("unchecked")
        List<String> records = em.createNativeQuery("select record from audit_record where leaf_index = ?1 "
                + "and (organisation_id = ?2 or actor_organisation_id = ?2)")
                .setParameter(1, leafIndex).setParameter(2, caller.organisationId()).getResultList();
        if (records.isEmpty()) {
            throw new Refused(caller, access(caller, action), "not a record of the DPO's organisation",
                    ProblemException.notFound("Record " + leafIndex));
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> hashes = tree.hashes(Rfc9162.inclusion(leafIndex, size)).stream().map(b64::encodeToString).toList();
        String leafHash = b64.encodeToString(tree.hashes(List.of(new Rfc9162.Range(leafIndex, leafIndex + 1))).get(0));
        String checkpoint = checkpoints.at(size).map(witnesses::cosigned).orElse(null);
        audit.granted(caller, access(caller, action));
        return new InclusionProof(leafIndex, size, records.get(0), leafHash, hashes, checkpoint);
    }

    @Transactional
    public ConsistencyProof consistency(Caller caller, long first, Long askedSecond) {
        String action = "audit.proof.consistency";
        dpo(caller, action);
        long second = treeSize(caller, action, askedSecond, "second");
        if (first < 1 || first > second) {
            throw new Refused(caller, access(caller, action), "first not within 1..second",
                    ProblemException.badRequest("beyond-the-tree", "first " + first + " must lie between 1 and the second "
                    + "size, " + second + "."));
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> hashes = tree.hashes(Rfc9162.consistency(first, second)).stream().map(b64::encodeToString).toList();
        audit.granted(caller, access(caller, action));
        return new ConsistencyProof(first, second, hashes);
    }

    @Transactional
    public State state(Caller caller) {
        dpo(caller, "audit.state.read");
        String checkpoint = checkpoints.latest().map(witnesses::cosigned).orElse(null);
        List<Witnesses.WitnessState> states = witnesses.states();
        audit.granted(caller, access(caller, "audit.state.read"));
        return new State(tree.size(), checkpoint, states, witnesses.quorum(), witnesses.witnessedSize(states),
                monitor.last(), tree.stopped(), alarms.raised());
    }

    @Transactional
    public TreeVerifier.Report verify(Caller caller, String savedCheckpoint) {
        String action = "audit.verify";
        dpo(caller, action);
        TreeVerifier.Report report;
        try {
            report = verification.verify(savedCheckpoint);
        } catch (IllegalArgumentException e) {
            throw new Refused(caller, access(caller, action), "saved checkpoint not of this log",
                    ProblemException.badRequest("not-a-checkpoint-of-this-log", e.getMessage()));
        }
        if (!report.consistent()) {
            alarms.raise(AuditAlarms.Kind.INCONSISTENT, report.summary());
        }
        audit.granted(caller, access(caller, action));
        return report;
    }
}
