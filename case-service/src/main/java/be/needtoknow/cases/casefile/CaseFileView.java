package be.needtoknow.cases.casefile;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A case file as a caller may see it: the reason only in the full view. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseFileView(UUID id, String pupilId, String owner, CaseFile.Status status, OffsetDateTime openedAt,
        OffsetDateTime closedAt, String reason) {

    static CaseFileView of(CaseFile file, CaseFileAccess.View view) {
        return new CaseFileView(file.id, file.pupilId, file.ownerUsername, file.status, file.openedAt, file.closedAt,
                view == CaseFileAccess.View.FULL ? file.reason : null);
    }
}
