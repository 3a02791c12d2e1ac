package be.needtoknow.cases.signal;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The bodies of the signal endpoints. */
public final class SignalViews {

    private SignalViews() {
    }

    public record Report(@NotBlank @Size(max = 64) String pupilId, @NotBlank @Size(max = 4000) String concern) {
    }

    /** Taking up a signal: linked to the pupil's open case file, or a new one opened with this reason. */
    public record TakeUp(@Size(max = 2000) String reason) {
    }

    /** What the reporter sees of their own signal: whether it was taken up, never the file (S4). */
    public record OwnSignal(UUID id, String pupilId, String concern, OffsetDateTime reportedAt, Signal.Status status) {
        static OwnSignal of(Signal s) {
            return new OwnSignal(s.id, s.pupilId, s.concern, s.reportedAt, s.status);
        }
    }

    /** A signal in the care coordinators' intake. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IntakeSignal(UUID id, String pupilId, String concern, String reportedBy, OffsetDateTime reportedAt,
            Signal.Status status, UUID caseFileId) {
        static IntakeSignal of(Signal s) {
            return new IntakeSignal(s.id, s.pupilId, s.concern, s.reporterUsername, s.reportedAt, s.status, s.caseFileId);
        }
    }
}
