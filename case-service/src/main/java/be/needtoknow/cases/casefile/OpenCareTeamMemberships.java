package be.needtoknow.cases.casefile;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import be.needtoknow.cases.staff.CareTeamMemberships;

/** The case files' answer to the staff import (R1): on whose open care teams a staff member is. */
@ApplicationScoped
public class OpenCareTeamMemberships implements CareTeamMemberships {

    @Override
    public List<UUID> openCaseFilesOf(String organisationId, String username) {
        return CaseFile.openWithCareTeamMember(organisationId, username).stream().map(file -> file.id).toList();
    }
}
