package be.needtoknow.audit.tree;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

/** The tamper evidence of the trail (A2), for the DPO; formats in docs/audit-log-formats.md. */
@Path("/audit-log")
@Authenticated
@Tag(name = "audit log", description = "Checkpoints, proofs and verification of the audit trail (RFC 9162, C2SP)")
public class AuditLogResource {

    private static final String NUMBER = "\\d{1,18}";

    @Inject
    AuditLogAccess access;

    @Inject
    Checkpoints checkpoints;

    @Inject
    Witnesses witnesses;

    @Inject
    CallerContext caller;

    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getLatestCheckpoint",
            summary = "The latest signed checkpoint, with its witnesses' cosignatures",
            description = "A C2SP "
            + "tlog-checkpoint: origin, tree size, base64 root hash, the log's Ed25519 signature line, and one "
            + "cosignature line (C2SP tlog-cosignature) per witness that cosigned it.")
    public String checkpoint() {
        return witnesses.cosigned(access.latestCheckpoint(caller.get()));
    }

    @POST
    @Path("/checkpoints")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "signCheckpoint",
            summary = "Sign a checkpoint of the tree as it is now, and have the witnesses cosign it",
            description = "Answers the checkpoint with the cosignatures of the witnesses that answered.")
    public String sign() {
        return witnesses.cosign(access.signNow(caller.get()));
    }

    @GET
    @Path("/state")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAuditLogState",
            summary = "The log's state", description = "The latest checkpoint, what each witness cosigned, the "
            + "largest size a quorum of witnesses cosigned, the monitor's last verification, and any alarm.")
    public AuditLogAccess.State state() {
        return access.state(caller.get());
    }

    @GET
    @Path("/verifier-key")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getVerifierKey",
            summary = "The key that verifies the checkpoints", description = "name+keyid+base64(0x01 ‖ Ed25519 "
            + "public key), the C2SP signed-note verifier key.")
    public String verifierKey() {
        caller.get();
        return checkpoints.verifierKey() + "\n";
    }

    @GET
    @Path("/proofs/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getInclusionProof", summary = "An inclusion proof of one of your organisation's records",
            description = "Against treeSize, "
            + "or by default the latest checkpoint; the record's canonical bytes, its leaf hash and the audit path "
            + "(RFC 9162 2.1.3).")
    public AuditLogAccess.InclusionProof inclusion(
            @QueryParam("leafIndex") @NotNull @Pattern(regexp = NUMBER, message = "must be a whole number from 0") String leafIndex,
            @QueryParam("treeSize") @Pattern(regexp = NUMBER, message = "must be a whole number from 1") String treeSize) {
        return access.inclusion(caller.get(), Long.parseLong(leafIndex), treeSize == null ? null : Long.parseLong(treeSize));
    }

    @GET
    @Path("/proofs/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getConsistencyProof",
            summary = "A consistency proof between two tree sizes", description = "From first to second (by "
            + "default the latest checkpoint), RFC 9162 2.1.4.")
    public AuditLogAccess.ConsistencyProof consistency(
            @QueryParam("first") @NotNull @Pattern(regexp = NUMBER, message = "must be a whole number from 1") String first,
            @QueryParam("second") @Pattern(regexp = NUMBER, message = "must be a whole number from 1") String second) {
        return access.consistency(caller.get(), Long.parseLong(first), second == null ? null : Long.parseLong(second));
    }

    @POST
    @Path("/verification")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAuditLog",
            summary = "Recompute the tree from the stored records", description = "Reports \"consistent with "
            + "checkpoint N\" or the first record that does not match. Send a checkpoint saved earlier as the body to "
            + "check it against today's tree.")
    public TreeVerifier.Report verify(@Size(max = 4000) String savedCheckpoint) {
        return access.verify(caller.get(), savedCheckpoint);
    }
}
