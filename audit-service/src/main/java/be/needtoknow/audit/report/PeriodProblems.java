package be.needtoknow.audit.report;

import java.util.Arrays;
import java.util.List;

import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/**
 * A3, A4: a period the DPO asked for that cannot be answered, as the same 400 problem a validation
 * annotation gives (type {@code validation}, one entry per named query parameter), so a client reads
 * every bad parameter the same way.
 */
final class PeriodProblems {

    private PeriodProblems() {
    }

    /** One message for each of the named parameters (e.g. both "from" and "to" of an inverted period). */
    static ProblemException invalid(String detail, String message, String... parameters) {
        List<Problem.FieldError> errors = Arrays.stream(parameters).map(p -> new Problem.FieldError(p, message)).toList();
        return new ProblemException(Problem.of(400, "validation", "Invalid request", detail).withErrors(errors));
    }
}
