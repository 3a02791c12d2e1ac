package be.needtoknow.cases.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.casefile.CaseFileAccess.View;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;

/** N3 as a plain rule: who sees how much of a case file. */
class CaseFileAccessTest {

    private static Caller caller(String subject, String organisation, OrganisationType type, String... roles) {
        return new Caller(subject, subject, Set.of(roles), organisation, type);
    }

    private static CaseFile fileOf(String organisation, String owner) {
        CaseFile file = new CaseFile();
        file.organisationId = organisation;
        file.ownerSubject = owner;
        return file;
    }

    @Test
    void theOwnerAndTheCareCoordinatorSeeEverything() {
        CaseFile file = fileOf("school-a", "owner");
        assertEquals(View.FULL, CaseFileAccess.viewOf(caller("owner", "school-a", OrganisationType.SCHOOL, "pupil-counsellor"), file));
        assertEquals(View.FULL, CaseFileAccess.viewOf(caller("coord", "school-a", OrganisationType.SCHOOL, "care-coordinator"), file));
    }

    @Test
    void thePrincipalSeesOnlyThatItExists() {
        assertEquals(View.EXISTENCE, CaseFileAccess.viewOf(caller("p", "school-a", OrganisationType.SCHOOL, "principal"),
                fileOf("school-a", "owner")));
    }

    @Test
    void otherStaffAnotherSchoolAndTheClbSeeNothing() {
        CaseFile file = fileOf("school-a", "owner");
        assertEquals(View.NONE, CaseFileAccess.viewOf(caller("t", "school-a", OrganisationType.SCHOOL, "teacher"), file));
        assertEquals(View.NONE, CaseFileAccess.viewOf(caller("d", "school-a", OrganisationType.SCHOOL, "discipline"), file));
        assertEquals(View.NONE, CaseFileAccess.viewOf(caller("c", "school-a", OrganisationType.SCHOOL, "pupil-counsellor"), file));
        assertEquals(View.NONE, CaseFileAccess.viewOf(caller("owner", "school-b", OrganisationType.SCHOOL, "care-coordinator"), file));
        // Same id as the school, but a CLB: still nothing (C1 works both ways).
        assertEquals(View.NONE, CaseFileAccess.viewOf(caller("w", "school-a", OrganisationType.CLB, "clb-worker"), file));
    }

    @Test
    void onlyCounsellorsAndCoordinatorsOfASchoolOpenFiles() {
        assertTrue(CaseFileAccess.mayOpen(caller("c", "school-a", OrganisationType.SCHOOL, "pupil-counsellor")));
        assertTrue(CaseFileAccess.mayOpen(caller("c", "school-a", OrganisationType.SCHOOL, "care-coordinator")));
        assertFalse(CaseFileAccess.mayOpen(caller("t", "school-a", OrganisationType.SCHOOL, "teacher")));
        assertFalse(CaseFileAccess.mayOpen(caller("p", "school-a", OrganisationType.SCHOOL, "principal")));
        assertFalse(CaseFileAccess.mayOpen(caller("w", "clb-a", OrganisationType.CLB, "clb-worker", "pupil-counsellor")));
    }
}
