package be.needtoknow.referrals.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.consent.ConsentRecord.Answer;
import be.needtoknow.referrals.consent.ConsentRecord.Consultation;
import be.needtoknow.referrals.consent.ConsentRecord.Party;

/** M1-M3 and T1 as plain rules. */
class ConsentRulesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 28);
    static final LocalDate TWELVE_TODAY = LocalDate.of(2014, 11, 28);
    static final LocalDate TWELVE_TOMORROW = LocalDate.of(2014, 11, 29);

    static Consultation c(Party party, Answer answer) {
        return new Consultation(party, OffsetDateTime.parse("2026-11-20T10:00:00Z"), "in a meeting at school", answer);
    }

    static ConsentRecord consent(List<Consultation> consulted) {
        return new ConsentRecord(consulted, null, null, false, null);
    }

    @Test
    void m1_theAgeOfDiscernmentIsPresumedFrom12() {
        assertTrue(Discernment.presumedCapable(TWELVE_TODAY, TODAY));
        assertFalse(Discernment.presumedCapable(TWELVE_TOMORROW, TODAY));
    }

    @Test
    void m1_fromTwelveThePupilsOwnConsentCounts() {
        assertTrue(ConsentRules.check(consent(List.of(c(Party.PUPIL, Answer.AGREED))), TWELVE_TODAY, TODAY).isEmpty());
        assertTrue(ConsentRules.check(consent(List.of(c(Party.PARENTS, Answer.REFUSED), c(Party.PUPIL, Answer.AGREED))),
                TWELVE_TODAY, TODAY).isEmpty());
        assertEquals("M1", ConsentRules.check(consent(List.of(c(Party.PARENTS, Answer.AGREED))), TWELVE_TODAY, TODAY)
                .orElseThrow().rule());
        assertEquals("M1", ConsentRules.check(consent(List.of(c(Party.PUPIL, Answer.REFUSED))), TWELVE_TODAY, TODAY)
                .orElseThrow().rule());
    }

    @Test
    void m2_belowTwelveParentsConsentAndTheChildIsHeard() {
        assertTrue(ConsentRules.check(consent(List.of(c(Party.PARENTS, Answer.AGREED), c(Party.PUPIL, Answer.HEARD))),
                TWELVE_TOMORROW, TODAY).isEmpty());
        assertEquals("M2", ConsentRules.check(consent(List.of(c(Party.PARENTS, Answer.AGREED))), TWELVE_TOMORROW, TODAY)
                .orElseThrow().rule());
        assertEquals("M2", ConsentRules.check(consent(List.of(c(Party.PUPIL, Answer.AGREED))), TWELVE_TOMORROW, TODAY)
                .orElseThrow().rule());
    }

    @Test
    void m3_thePresumptionIsOverriddenEitherWayWithAReason() {
        ConsentRecord younger = new ConsentRecord(List.of(c(Party.PUPIL, Answer.AGREED)), true, "Mature, articulate; "
                + "assessed in two conversations", false, null);
        assertTrue(ConsentRules.check(younger, TWELVE_TOMORROW, TODAY).isEmpty());
        ConsentRecord older = new ConsentRecord(List.of(c(Party.PUPIL, Answer.AGREED)), false, "Not able to oversee "
                + "the consequences", false, null);
        assertEquals("M2", ConsentRules.check(older, TWELVE_TODAY, TODAY).orElseThrow().rule());
        ConsentRecord noReason = new ConsentRecord(List.of(c(Party.PUPIL, Answer.AGREED)), true, " ", false, null);
        assertEquals("M3", ConsentRules.check(noReason, TWELVE_TOMORROW, TODAY).orElseThrow().rule());
    }

    @Test
    void m1_onlyACapablePupilMayAskThatParentsNotBeInformedAndWhoDecidedIsRecorded() {
        ConsentRecord asked = new ConsentRecord(List.of(c(Party.PUPIL, Answer.AGREED)), null, null, true, "bart.counsellor");
        assertTrue(ConsentRules.check(asked, TWELVE_TODAY, TODAY).isEmpty());
        ConsentRecord nobodyDecided = new ConsentRecord(List.of(c(Party.PUPIL, Answer.AGREED)), null, null, true, null);
        assertEquals("M1", ConsentRules.check(nobodyDecided, TWELVE_TODAY, TODAY).orElseThrow().rule());
        ConsentRecord tooYoung = new ConsentRecord(List.of(c(Party.PARENTS, Answer.AGREED), c(Party.PUPIL, Answer.HEARD)),
                null, null, true, "bart.counsellor");
        assertEquals("M1", ConsentRules.check(tooYoung, TWELVE_TOMORROW, TODAY).orElseThrow().rule());
    }

    @Test
    void x_aTransferIsDiscussedWithParentsAndPupilAndTheListAgreed() {
        var both = consent(List.of(c(Party.PARENTS, Answer.AGREED), c(Party.PUPIL, Answer.AGREED)));
        assertTrue(ConsentRules.checkTransfer(both, TWELVE_TODAY, TODAY).isEmpty());
        // Below twelve the child is heard; the parents agree.
        assertTrue(ConsentRules.checkTransfer(consent(List.of(c(Party.PARENTS, Answer.AGREED), c(Party.PUPIL, Answer.HEARD))),
                TWELVE_TOMORROW, TODAY).isEmpty());
        // Only one of them consulted: the discussion is not on record.
        assertEquals("X", ConsentRules.checkTransfer(consent(List.of(c(Party.PUPIL, Answer.AGREED))), TWELVE_TODAY, TODAY)
                .orElseThrow().rule());
        assertEquals("X", ConsentRules.checkTransfer(consent(List.of(c(Party.PARENTS, Answer.AGREED))), TWELVE_TOMORROW,
                TODAY).orElseThrow().rule());
        // The list is not agreed: by the parents, or by a pupil capable of discernment.
        assertEquals("X", ConsentRules.checkTransfer(consent(List.of(c(Party.PARENTS, Answer.REFUSED),
                c(Party.PUPIL, Answer.AGREED))), TWELVE_TODAY, TODAY).orElseThrow().rule());
        assertEquals("X", ConsentRules.checkTransfer(consent(List.of(c(Party.PARENTS, Answer.AGREED),
                c(Party.PUPIL, Answer.HEARD))), TWELVE_TODAY, TODAY).orElseThrow().rule());
        // The parents are always involved in a transfer.
        var without = new ConsentRecord(both.consulted(), null, null, true, "bart.counsellor");
        assertEquals("X", ConsentRules.checkTransfer(without, TWELVE_TODAY, TODAY).orElseThrow().rule());
    }
}
