package be.needtoknow.cases.access;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * T4: what case-service holds on one pupil, for the parents or the pupil who asked (through the
 * link of their {@link AccessRequest}), except what {@link #leftOut} names: private working notes,
 * who reported a signal and, for the parents of a pupil of 12 or more, the pupil's conversation notes
 * and the referrals the pupil kept from them. With what referral-service holds on the pupil:
 * {@link #referrals}, null when referral-service could not be reached ({@link #REFERRALS_UNAVAILABLE}
 * in {@link #leftOut}: never an empty list that would say there are none). Built when the link is
 * read, never stored.
 */
public record AccessPackage(OffsetDateTime generatedAt, AccessRequest.Requester requestedBy, OffsetDateTime requestedAt,
        Pupil pupil, List<CaseFile> caseFiles, List<Signal> signals, List<DisciplineMeasure> disciplineMeasures,
        List<Referral> referrals, List<String> leftOut) {

    public static final String PRIVATE_NOTES = "private-working-notes";
    public static final String SIGNAL_REPORTERS = "signal-reporters";
    /** M1, GDPR art. 15(4): in the parents' package, the conversation notes of a pupil of 12 or more. */
    public static final String PUPIL_CONVERSATIONS = "pupil-conversation-notes";
    /** M1, GDPR art. 15(4): in the parents' package, the referrals a pupil of 12 or more kept from them (referral-service's word). */
    public static final String REFERRALS_KEPT_FROM_PARENTS = "referrals-kept-from-parents";
    /** T4: referral-service could not be reached; the referrals are not shown now, which is not to say there are none. */
    public static final String REFERRALS_UNAVAILABLE = "referrals-unavailable";

    public record Pupil(String pupilId, String givenName, String familyName, LocalDate birthDate, String classGroup) {
    }

    public record CaseFile(UUID id, String status, String owner, String reason, OffsetDateTime openedAt,
            OffsetDateTime closedAt, List<Member> careTeam, List<Notice> confidentialityNotices, List<Note> notes) {
    }

    public record Member(String username, String role, String purpose, OffsetDateTime addedAt) {
    }

    public record Notice(String givenBy, OffsetDateTime givenAt, String how) {
    }

    public record Note(UUID id, String kind, String visibility, String author, OffsetDateTime writtenAt, String text,
            UUID corrects) {
    }

    public record Signal(OffsetDateTime reportedAt, String concern, String status) {
    }

    public record DisciplineMeasure(String measureType, LocalDate decidedOn, String decidedBy) {
    }

    /** referral-service's answer: the referrals as sent, and what it left out (M1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Referrals(List<Referral> referrals, List<String> leftOut) {
    }

    /**
     * T4: a referral or transfer as it was sent, as referral-service holds it: to whom, its status,
     * the items byte for byte as sent (N1), the discussion it was sent on (T1), a transfer's notices
     * and their answers (X), and the feedback the recipient released for the school (C2).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Referral(String kind, String recipient, String recipientType, String status, OffsetDateTime sentAt,
            String legalBasis, List<Item> items, Consent consent, List<TransferNotice> notices,
            List<Feedback> feedback) {
    }

    /** One item as sent: a question, the pupil's identification, a contact, or a note of the case file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String type, String purpose, String text, String givenName, String familyName,
            LocalDate birthDate, String name, String email, String phone, String kind, OffsetDateTime writtenAt) {
    }

    /** Who was consulted, when, how and each one's answer; the pupil's wish that the parents not be informed (M1). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Consent(List<Consultation> consulted, Boolean capableOverride, String overrideReason,
            boolean parentsNotInformed, String parentsNotInformedDecidedBy) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Consultation(String party, OffsetDateTime when, String how, String answer) {
    }

    /** A transfer notice (X): to whom, its period, the answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransferNotice(String party, OffsetDateTime issuedAt, OffsetDateTime periodEndsAt, String answer,
            OffsetDateTime answeredAt, String objection, OffsetDateTime supersededAt) {
    }

    /** Feedback the recipient released for the school (C2). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Feedback(String text, String releasedBy, OffsetDateTime releasedAt) {
    }
}
