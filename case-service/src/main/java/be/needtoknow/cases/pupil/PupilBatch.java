package be.needtoknow.cases.pupil;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** An import batch: the school platform sends its pupils; re-sending the same batch changes nothing. */
public record PupilBatch(@NotNull @Size(min = 1, max = PupilBatch.MAX_ROWS) List<@Valid @NotNull PupilRow> pupils) {
    public static final int MAX_ROWS = 5000;
}
