package be.needtoknow.cases.staff;

import java.util.List;
import java.util.UUID;

/**
 * R1 from the staff import's side: an import does not give the discipline function to someone on
 * the care team of an open case file. The case files answer; the staff register asks through this
 * interface because the case files build on it (a care team is formed of the school's staff), not
 * the other way round.
 */
public interface CareTeamMemberships {

    /** The open case files of the school that the staff member owns or is a named care-team member of, oldest first. */
    List<UUID> openCaseFilesOf(String organisationId, String username);
}
