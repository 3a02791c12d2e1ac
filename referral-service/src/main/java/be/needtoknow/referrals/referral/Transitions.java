package be.needtoknow.referrals.referral;

import java.util.Map;
import java.util.Set;

/**
 * Which transition each side may make. The school (the referring counsellor) prepares, sends and
 * withdraws; the recipient acknowledges, accepts or declines, and closes. Plain Java: the one
 * place that says which move is legal, unit-tested without a server.
 */
public final class Transitions {

    /**
     * Who moves a referral: the referring school, the recipient, or the family whose consent counted
     * (T3: the pupil from 12, M1; below 12 the parents, M2), through the notice link of the referral.
     */
    public enum Side {
        SCHOOL, RECIPIENT, FAMILY
    }

    /** An action on a referral and the state it leads to. */
    public enum Action {
        MARK_READY(ReferralStatus.READY), BACK_TO_DRAFT(ReferralStatus.DRAFT), SEND(ReferralStatus.SENT),
        ACKNOWLEDGE(ReferralStatus.RECEIVED), ACCEPT(ReferralStatus.ACCEPTED), DECLINE(ReferralStatus.DECLINED),
        CLOSE(ReferralStatus.CLOSED), WITHDRAW(ReferralStatus.WITHDRAWN);

        public final ReferralStatus target;

        Action(ReferralStatus target) {
            this.target = target;
        }
    }

    private record Rule(Side side, Set<ReferralStatus> from) {
    }

    private static final Map<Action, Rule> RULES = Map.of(
            Action.MARK_READY, new Rule(Side.SCHOOL, Set.of(ReferralStatus.DRAFT, ReferralStatus.READY)),
            Action.BACK_TO_DRAFT, new Rule(Side.SCHOOL, Set.of(ReferralStatus.DRAFT, ReferralStatus.READY)),
            Action.SEND, new Rule(Side.SCHOOL, Set.of(ReferralStatus.READY)),
            Action.ACKNOWLEDGE, new Rule(Side.RECIPIENT, Set.of(ReferralStatus.SENT)),
            Action.ACCEPT, new Rule(Side.RECIPIENT, Set.of(ReferralStatus.SENT, ReferralStatus.RECEIVED)),
            Action.DECLINE, new Rule(Side.RECIPIENT, Set.of(ReferralStatus.SENT, ReferralStatus.RECEIVED)),
            Action.CLOSE, new Rule(Side.RECIPIENT, Set.of(ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)),
            Action.WITHDRAW, new Rule(Side.SCHOOL, Set.of(ReferralStatus.DRAFT, ReferralStatus.READY, ReferralStatus.SENT,
                    ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)));

    /**
     * T3: the family withdraws its consent only from a referral that reached the recipient and is still
     * under way; before it is sent there is no notice, and a declined or closed referral moves no more.
     */
    private static final Map<Action, Set<ReferralStatus>> FAMILY_RULES = Map.of(
            Action.WITHDRAW, Set.of(ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED));

    private Transitions() {
    }

    /** Whether this side may take this action now; a refusal is a 409 (out of order) or a 403 (wrong side). */
    public static boolean allowed(Action action, Side side, ReferralStatus current) {
        if (side == Side.FAMILY) {
            return FAMILY_RULES.getOrDefault(action, Set.of()).contains(current);
        }
        Rule rule = RULES.get(action);
        return rule.side() == side && rule.from().contains(current);
    }

    public static boolean sideMay(Action action, Side side) {
        if (side == Side.FAMILY) {
            return FAMILY_RULES.containsKey(action);
        }
        return RULES.get(action).side() == side;
    }
}
