package be.needtoknow.referrals.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.referral.Transitions.Action;
import be.needtoknow.referrals.referral.Transitions.Side;

class TransitionsTest {

    private static Set<ReferralStatus> from(Action action, Side side) {
        Set<ReferralStatus> states = EnumSet.noneOf(ReferralStatus.class);
        for (ReferralStatus s : ReferralStatus.values()) {
            if (Transitions.allowed(action, side, s)) {
                states.add(s);
            }
        }
        return states;
    }

    @Test
    void theSchoolPreparesSendsAndWithdraws() {
        assertEquals(EnumSet.of(ReferralStatus.READY), from(Action.SEND, Side.SCHOOL));
        assertEquals(EnumSet.of(ReferralStatus.DRAFT, ReferralStatus.READY, ReferralStatus.SENT, ReferralStatus.RECEIVED,
                ReferralStatus.ACCEPTED), from(Action.WITHDRAW, Side.SCHOOL));
        assertTrue(from(Action.SEND, Side.RECIPIENT).isEmpty(), "a recipient never sends");
        assertTrue(from(Action.ACCEPT, Side.SCHOOL).isEmpty(), "a school never accepts its own referral");
    }

    @Test
    void theRecipientAcknowledgesAcceptsOrDeclinesAndCloses() {
        assertEquals(EnumSet.of(ReferralStatus.SENT), from(Action.ACKNOWLEDGE, Side.RECIPIENT));
        assertEquals(EnumSet.of(ReferralStatus.SENT, ReferralStatus.RECEIVED), from(Action.ACCEPT, Side.RECIPIENT));
        assertEquals(EnumSet.of(ReferralStatus.SENT, ReferralStatus.RECEIVED), from(Action.DECLINE, Side.RECIPIENT));
        assertEquals(EnumSet.of(ReferralStatus.ACCEPTED, ReferralStatus.DECLINED), from(Action.CLOSE, Side.RECIPIENT));
    }

    @Test
    void nothingMovesAfterClosedOrWithdrawn() {
        for (Action action : Action.values()) {
            for (Side side : Side.values()) {
                assertFalse(Transitions.allowed(action, side, ReferralStatus.CLOSED), action + " from CLOSED");
                assertFalse(Transitions.allowed(action, side, ReferralStatus.WITHDRAWN), action + " from WITHDRAWN");
            }
        }
    }

    @Test
    void t3_theFamilyWithdrawsOnlyWhileTheReferralIsUnderWay() {
        assertEquals(EnumSet.of(ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED),
                from(Action.WITHDRAW, Side.FAMILY));
        for (Action action : Action.values()) {
            if (action != Action.WITHDRAW) {
                assertTrue(from(action, Side.FAMILY).isEmpty(), "the family only withdraws, not " + action);
            }
        }
    }
}
