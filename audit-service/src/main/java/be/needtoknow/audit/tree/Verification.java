package be.needtoknow.audit.tree;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * The service's verification (the DPO's endpoint and the monitor): {@link TreeVerifier} with the
 * log's own key and origin, and what the witnesses cosigned. (A cosignature counts only over a
 * checkpoint the log signed, which TreeVerifier already checks against the records; records removed
 * with their checkpoints are found by the witnesses themselves, see {@link Witnesses}.)
 */
@ApplicationScoped
public class Verification {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Checkpoints checkpoints;

    @Inject
    Witnesses witnesses;

    /** In a transaction, so that the records stream through a cursor, whatever their number. */
    @Transactional
    public TreeVerifier.Report verify(String savedNote) {
        return verify(savedNote, TreeVerifier.Start.FIRST_LEAF).report();
    }

    /** From a start on (the monitor's incremental run), or from the first leaf. */
    @Transactional
    public TreeVerifier.Outcome verify(String savedNote, TreeVerifier.Start from) {
        TreeVerifier.Outcome outcome;
        try (Connection c = dataSource.getConnection()) {
            outcome = TreeVerifier.verify(c, checkpoints.verifierKey(), checkpoints.origin(), savedNote, from);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log", e);
        }
        List<Witnesses.WitnessState> states = witnesses.states();
        TreeVerifier.Report report = outcome.report().withWitnesses(states.isEmpty() ? null : states,
                witnesses.witnessedSize(states));
        return new TreeVerifier.Outcome(report, outcome.next());
    }
}
