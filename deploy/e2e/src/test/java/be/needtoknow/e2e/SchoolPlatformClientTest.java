package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import be.needtoknow.e2e.client.cases.api.CaseFilesApi;
import be.needtoknow.e2e.client.cases.api.NotesApi;
import be.needtoknow.e2e.client.cases.api.PupilsApi;
import be.needtoknow.e2e.client.cases.api.StaffApi;
import be.needtoknow.e2e.client.cases.model.CaseFileView;
import be.needtoknow.e2e.client.cases.model.ImportResult;
import be.needtoknow.e2e.client.cases.model.Kind1;
import be.needtoknow.e2e.client.cases.model.NoteView;
import be.needtoknow.e2e.client.cases.model.OpenCaseFile;
import be.needtoknow.e2e.client.cases.model.Parent;
import be.needtoknow.e2e.client.cases.model.Problem;
import be.needtoknow.e2e.client.cases.model.PupilBatch;
import be.needtoknow.e2e.client.cases.model.PupilRow;
import be.needtoknow.e2e.client.cases.model.StaffBatch;
import be.needtoknow.e2e.client.cases.model.StaffRow;
import be.needtoknow.e2e.client.cases.model.Status;
import be.needtoknow.e2e.client.cases.model.Visibility;
import be.needtoknow.e2e.client.cases.model.WriteNote;
import be.needtoknow.e2e.client.referrals.api.ReferralsApi;
import be.needtoknow.e2e.client.referrals.model.Answer1;
import be.needtoknow.e2e.client.referrals.model.ConsentRecord;
import be.needtoknow.e2e.client.referrals.model.Consultation;
import be.needtoknow.e2e.client.referrals.model.Create;
import be.needtoknow.e2e.client.referrals.model.Items;
import be.needtoknow.e2e.client.referrals.model.Party1;
import be.needtoknow.e2e.client.referrals.model.ReferralStatus;
import be.needtoknow.e2e.client.referrals.model.ReferralView;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;

/**
 * A school platform integrates through the OpenAPI documents alone: this class calls the suite
 * only through the Java client that openapi-generator makes from the committed docs/openapi at
 * build time (deploy/e2e's pom), as an integrator would. The platform imports its staff and a
 * pupil with its own service account (client credentials); a counsellor opens a case file on
 * that pupil, writes a note and refers the pupil to the CLB with the pupil's and the parents'
 * consent (T1, N1); a teacher who asks for the case file is refused as the client reports it (N3:
 * 404, told nothing), and so is the platform that asks for the DPO's staff directory (403). On the shared suite: its own pupil and staff member, the demo world kept.
 */
class SchoolPlatformClientTest {

    private static final String SCHOOL = "school-sint-jan";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Suite suite;

    @BeforeAll
    static void suite() throws Exception {
        suite = SharedSuite.get();
    }

    private static String platformToken() {
        String client = SCHOOL + "-system";
        return Tokens.clientCredentials(suite.keycloak().tokenEndpoint(), client, Tokens.devSecret(client));
    }

    private static String userToken(String username) {
        return Tokens.password(suite.keycloak().tokenEndpoint(), username, Tokens.DEMO_PASSWORD);
    }

    /** case-service's generated client, sending the token as the document's jwt scheme asks. */
    private static be.needtoknow.e2e.client.cases.ApiClient caseService(String token) {
        var client = new be.needtoknow.e2e.client.cases.ApiClient();
        client.updateBaseUri(suite.serviceUrl("case-service"));
        client.setReadTimeout(TIMEOUT);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private static be.needtoknow.e2e.client.referrals.ApiClient referralService(String token) {
        var client = new be.needtoknow.e2e.client.referrals.ApiClient();
        client.updateBaseUri(suite.serviceUrl("referral-service"));
        client.setReadTimeout(TIMEOUT);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    @Test
    void aSchoolPlatformImportsOpensACaseFileWritesANoteAndRefersToTheClb_withTheGeneratedClientOnly() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        var platform = caseService(platformToken());

        // The staff list as the platform keeps it: the demo school's staff, and one new member.
        StaffBatch staff = platform.getObjectMapper().readValue(
                suite.settings().repository().resolve("deploy/demo/staff-" + SCHOOL + ".json").toFile(), StaffBatch.class);
        int demoStaff = staff.getStaff().size();
        String newMember = "platform-" + suffix + ".teacher";
        staff.addStaffItem(new StaffRow().username(newMember).name("Teacher P").functions(Set.of("teacher"))
                .classGroups(Set.of("1B")));
        ImportResult staffImported = new StaffApi(platform).importStaff(staff);
        assertEquals(demoStaff + 1, staffImported.getReceived());
        assertEquals(1, staffImported.getCreated(), "only the new member is new: " + staffImported);
        // The staff directory is the DPO's (for the access report, T4), not the platform's.
        assertTrue(new StaffApi(caseService(userToken("frank.dpo"))).listStaff().stream()
                .anyMatch(e -> e.getUsername().equals(newMember) && e.getName().equals("Teacher P")
                        && e.getFunctions().equals(List.of("teacher"))),
                "the new member in the school's staff directory");
        var notTheDpo = assertThrows(be.needtoknow.e2e.client.cases.ApiException.class,
                () -> new StaffApi(platform).listStaff());
        assertEquals(403, notTheDpo.getCode());

        // A partial pupil import (not "complete"): one pupil of this test's own, with the family's
        // contacts, where the suite sends the family's links (X, T1, T4): a parent's, and the pupil's own.
        String pupil = "pc-" + suffix;
        PupilBatch pupils = new PupilBatch().addPupilsItem(new PupilRow().pupilId(pupil).givenName("Pupil")
                .familyName("P").birthDate(LocalDate.of(2012, 9, 1)).classGroup("2A")
                .addParentsItem(new Parent().name("Parent P").email(FamilyMail.parentOf(pupil)))
                .pupilEmail(FamilyMail.pupilAddressOf(pupil)));
        ImportResult pupilsImported = new PupilsApi(platform).importPupils(pupils);
        assertEquals(1, pupilsImported.getReceived());
        assertEquals(1, pupilsImported.getCreated());
        ImportResult again = new PupilsApi(platform).importPupils(pupils);
        assertEquals(0, again.getCreated(), "re-sending the batch changes nothing: " + again);
        assertEquals(1, again.getUnchanged());

        // The counsellor opens a case file on the pupil and writes a note in it.
        var counsellor = caseService(userToken("bart.counsellor"));
        CaseFileView opened = new CaseFilesApi(counsellor)
                .openCaseFile(new OpenCaseFile().pupilId(pupil).reason("Tired in the morning lessons"));
        assertEquals(pupil, opened.getPupilId());
        assertEquals(Status.OPEN, opened.getStatus());
        assertEquals("bart.counsellor", opened.getOwner());
        NoteView note = new NotesApi(counsellor).writeNote(opened.getId(), new WriteNote().kind(Kind1.OBSERVATION)
                .visibility(Visibility.CARE_TEAM).text("Falls asleep in the first lesson."));
        assertEquals(opened.getId(), note.getCaseFileId());
        List<NoteView> notes = new NotesApi(counsellor).listNotes(opened.getId());
        assertTrue(notes.stream().anyMatch(n -> n.getId().equals(note.getId())
                && n.getText().equals("Falls asleep in the first lesson.") && n.getAuthor().equals("bart.counsellor")),
                "the note is in the case file: " + notes);

        // A referral to the CLB that serves the school: a draft, its item, the consent, sent (T1, N1).
        var referrals = new ReferralsApi(referralService(userToken("bart.counsellor")));
        ReferralView draft = referrals.draftReferral(new Create().pupilId(pupil).recipientId("clb-gent"));
        assertEquals(ReferralStatus.DRAFT, draft.getStatus());
        assertEquals(pupil, draft.getPupilId());
        ReferralView chosen = referrals.chooseReferralItems(draft.getId(), new Items().addItemsItem(Map.of("type",
                "QUESTION", "purpose", "what we ask the CLB", "text", "Can you look into the pupil's sleep?")));
        assertEquals(1, chosen.getItems().size());
        OffsetDateTime talked = OffsetDateTime.now().minusHours(2);
        ReferralView consented = referrals.recordReferralConsent(draft.getId(), new ConsentRecord()
                .addConsultedItem(new Consultation().party(Party1.PUPIL).when(talked).how("talk").answer(Answer1.AGREED))
                .addConsultedItem(new Consultation().party(Party1.PARENTS).when(talked).how("phone call")
                        .answer(Answer1.AGREED))
                .parentsNotInformed(false));
        assertEquals(Boolean.TRUE, consented.getConsentCoversItems(), "consent covers the chosen item");
        ReferralView sent = referrals.sendReferral(draft.getId());
        assertEquals(ReferralStatus.SENT, sent.getStatus());
        assertNotNull(sent.getSentAt());
        assertEquals("clb-gent", sent.getRecipientId());
        assertTrue(referrals.listReferrals().stream().anyMatch(r -> r.getId().equals(draft.getId())
                && r.getStatus() == ReferralStatus.SENT), "the counsellor's list shows it sent");

        // A teacher of the pupil's class is not told the case file exists (N3): the client's ApiException
        // carries the problem's status, and the problem tells nothing of the file.
        var teacher = caseService(userToken("an.teacher"));
        var refused = assertThrows(be.needtoknow.e2e.client.cases.ApiException.class,
                () -> new CaseFilesApi(teacher).getCaseFile(opened.getId()));
        assertEquals(404, refused.getCode());
        Problem problem = teacher.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertEquals(404, problem.getStatus());
        assertFalse(refused.getResponseBody().contains("Tired in the morning"), "the reason in a refusal");
    }
}
