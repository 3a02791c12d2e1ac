package be.needtoknow.cases.casefile;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The request to open a case file for a pupil of the caller's school. */
public record OpenCaseFile(
        @NotBlank @Size(max = 64) String pupilId,
        @NotBlank @Size(max = 2000) String reason) {
}
