package be.needtoknow.cases.casefile;

/**
 * R1 from the care team's side: whoever registered a disciplinary measure for a pupil does not
 * join that pupil's care team. The discipline register answers; the case files ask through this
 * interface because the register builds on them (it asks the care teams in turn, for the other
 * side of R1), not the other way round.
 */
public interface Sanctions {

    /** Whether this staff member registered a disciplinary measure for the pupil. */
    boolean registeredBy(String organisationId, String pupilId, String username);
}
