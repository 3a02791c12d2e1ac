package be.needtoknow.cases.staff;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** An import batch of staff and their teaching assignments; re-sending the same batch changes nothing. */
public record StaffBatch(@NotNull @Size(min = 1, max = StaffBatch.MAX_ROWS) List<@Valid @NotNull StaffRow> staff) {
    public static final int MAX_ROWS = 2000;
}
