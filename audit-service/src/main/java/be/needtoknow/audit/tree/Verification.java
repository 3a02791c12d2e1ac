package be.needtoknow.audit.tree;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/** The service's verification (the DPO's endpoint): {@link TreeVerifier} with the log's own key and origin. */
@ApplicationScoped
public class Verification {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Checkpoints checkpoints;

    /** In a transaction, so that the records stream through a cursor, whatever their number. */
    @Transactional
    public TreeVerifier.Report verify(String savedNote) {
        try (Connection c = dataSource.getConnection()) {
            return TreeVerifier.verify(c, checkpoints.verifierKey(), checkpoints.origin(), savedNote);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log", e);
        }
    }
}
