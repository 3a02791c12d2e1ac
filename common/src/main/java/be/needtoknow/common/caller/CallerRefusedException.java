package be.needtoknow.common.caller;

import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/**
 * A request refused before its caller is known: 401 without a token, 403 for a token without an
 * organisation. The problem mappers answer it like any problem and audit it (A1) against the
 * endpoint it tried.
 */
public class CallerRefusedException extends ProblemException {

    private final transient UnidentifiedCaller who;
    private final String action;
    private final String reason;

    public CallerRefusedException(Problem problem, UnidentifiedCaller who, String action, String reason) {
        super(problem);
        this.who = who;
        this.action = action;
        this.reason = reason;
    }

    public UnidentifiedCaller who() {
        return who;
    }

    public String action() {
        return action;
    }

    /** Why, for the audit record; never the token. */
    public String reason() {
        return reason;
    }
}
