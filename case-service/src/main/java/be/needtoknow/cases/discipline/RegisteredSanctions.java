package be.needtoknow.cases.discipline;

import jakarta.enterprise.context.ApplicationScoped;

import be.needtoknow.cases.casefile.Sanctions;

/** The discipline register's answer to the care teams (R1): who registered a measure for a pupil. */
@ApplicationScoped
public class RegisteredSanctions implements Sanctions {

    @Override
    public boolean registeredBy(String organisationId, String pupilId, String username) {
        return DisciplineMeasure.registeredBy(organisationId, pupilId, username);
    }
}
