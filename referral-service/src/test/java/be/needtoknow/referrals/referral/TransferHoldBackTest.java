package be.needtoknow.referrals.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.referral.TransferNotice.Answer;
import be.needtoknow.referrals.referral.TransferNotice.Party;

/** X: when a transfer may be sent, as a plain rule over its notices (the period's end needs no waiting here). */
class TransferHoldBackTest {

    static final OffsetDateTime ISSUED = OffsetDateTime.parse("2026-11-20T10:00:00Z");
    static final OffsetDateTime ENDS = ISSUED.plusDays(10);

    static TransferNotice notice(Party party, Answer answer) {
        TransferNotice n = new TransferNotice();
        n.party = party;
        n.issuedAt = ISSUED;
        n.periodEndsAt = ENDS;
        n.answer = answer;
        n.answeredAt = answer == null ? null : ISSUED.plusDays(1);
        return n;
    }

    @Test
    void x_withinThePeriodTheTransferWaitsUnlessEveryoneAgreed() {
        OffsetDateTime during = ENDS.minusMinutes(1);
        assertTrue(TransferNotices.holdBack(List.of(notice(Party.PARENTS, null), notice(Party.PUPIL, null)), during)
                .orElseThrow().contains("may object until"));
        assertTrue(TransferNotices.holdBack(List.of(notice(Party.PARENTS, Answer.AGREED), notice(Party.PUPIL, null)),
                during).isPresent(), "the pupil has not agreed yet");
        assertEquals(Optional.empty(), TransferNotices.holdBack(
                List.of(notice(Party.PARENTS, Answer.AGREED), notice(Party.PUPIL, Answer.AGREED)), during));
    }

    @Test
    void x_afterThePeriodWithoutObjectionTheTransferMayGo() {
        assertEquals(Optional.empty(), TransferNotices.holdBack(List.of(notice(Party.PARENTS, null)), ENDS));
    }

    @Test
    void x_anObjectionHoldsTheTransferBackAlsoAfterThePeriod() {
        String reason = TransferNotices.holdBack(List.of(notice(Party.PARENTS, Answer.OBJECTED),
                notice(Party.PUPIL, Answer.AGREED)), ENDS.plusDays(30)).orElseThrow();
        assertTrue(reason.contains("parents objected"), reason);
    }

    @Test
    void x_withoutANoticeNothingIsSent() {
        assertTrue(TransferNotices.holdBack(List.of(), ENDS).isPresent());
    }
}
