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

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * case-service's notes for a referral's draft, its pupil register and the family channel (a direct
 * call between services, as docs/architecture.md describes): called with the caller's own token, so that
 * case-service, which owns the notes, the register and the family's contacts, checks the right to
 * read or send and audits it.
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

    /**
     * X: a link for the family, which case-service delivers to the addressee's contacts as the school
     * platform imported them (never to an address of the caller's): the parents and the pupil are a
     * party of their own, so their link's secret goes to them and never to the staff member whose
     * action they check. The grant is this service's word that the referral is the caller's (N1).
     * The path carries the link's secret: never logged, so {@link #toString()} leaves it out.
     *
     * @param kind      {@code TRANSFER_NOTICE} or {@code REFERRAL_NOTICE}
     * @param addressee {@code PARENTS} or {@code PUPIL}
     */
    record FamilyMessage(UUID referralId, String grant, String kind, String addressee, String path) {

        @Override
        public String toString() {
            return "FamilyMessage[referralId=" + referralId + ", kind=" + kind + ", addressee=" + addressee + "]";
        }
    }

    /** What case-service sent, and how: never the link nor an address. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delivery(UUID id, String kind, String addressee, String channel, int addresses, OffsetDateTime sentAt,
            String summary) {
    }

    @POST
    @Path("/case-files/{caseFileId}/notes/{noteId}/for-referral")
    NoteForReferral forReferral(@PathParam("caseFileId") UUID caseFileId, @PathParam("noteId") UUID noteId,
            ForReferral request);

    @GET
    @Path("/pupils/{pupilId}/discernment")
    Discernment discernment(@PathParam("pupilId") String pupilId);

    @POST
    @Path("/pupils/{pupilId}/family-messages")
    Delivery familyMessage(@PathParam("pupilId") String pupilId, FamilyMessage message);
}
