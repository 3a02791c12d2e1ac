package be.needtoknow.cases.pupil;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An import batch: the school platform sends its pupils; re-sending the same batch changes nothing.
 * With {@code complete: true} the batch is the school's whole pupil list: a pupil on record who is
 * not in it has left the school (A5: {@code left_at} is set, and the retention purge removes the
 * pupil's data {@code ntk.retention.left-pupil} later). Without it (the default) the batch is a part
 * of the list and says nothing about the pupils it does not name. A pupil who is in any batch is at
 * the school, also one who had left.
 */
public record PupilBatch(@NotNull @Size(min = 1, max = PupilBatch.MAX_ROWS) List<@Valid @NotNull PupilRow> pupils,
        Boolean complete) {
    public static final int MAX_ROWS = 5000;

    public boolean wholeList() {
        return Boolean.TRUE.equals(complete);
    }
}
