package be.needtoknow.cases;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/** What an import batch changed. */
public record ImportResult(int received, int created, int updated, int unchanged) {

    /** Refuses a batch that names the same key twice, naming the row ({@code pupils[3].pupilId}). */
    public static void requireUnique(List<String> keys, String field) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!seen.add(keys.get(i))) {
                throw new ProblemException(Problem.of(400, "validation", "Invalid request",
                        "'" + keys.get(i) + "' appears twice in the batch.")
                        .withErrors(List.of(new Problem.FieldError(field.replace("[]", "[" + i + "]"), "duplicate in batch"))));
            }
        }
    }
}
