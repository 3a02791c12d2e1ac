package be.needtoknow.referrals.casefile;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * case-service's notes for a referral's draft and pupil register (a direct call between services, as the README describes): called
 * with the caller's own token, so that case-service, which owns the notes and the register, checks
 * the right to read them and audits the read.
 */
@RegisterRestClient(configKey = "case-service")
@RegisterClientHeaders
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CaseServiceClient {

    /** The referral a note is asked for, and this service's grant for it (N1): no recipient, no purpose, no text. */
    record ForReferral(UUID referralId, String grant) {
    }

    record NoteForReferral(UUID noteId, String pupilId, String kind, OffsetDateTime writtenAt, String text) {
    }

    /** The register's birth date of a pupil of the caller's school: what the age-12 presumption is decided on (M1, M2). */
    record Discernment(String pupilId, LocalDate birthDate) {
    }

    @POST
    @Path("/case-files/{caseFileId}/notes/{noteId}/for-referral")
    NoteForReferral forReferral(@PathParam("caseFileId") UUID caseFileId, @PathParam("noteId") UUID noteId,
            ForReferral request);

    @GET
    @Path("/pupils/{pupilId}/discernment")
    Discernment discernment(@PathParam("pupilId") String pupilId);
}
