package be.needtoknow.cases.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.casefile.CaseFileAccess.Relation;
import be.needtoknow.cases.casefile.CaseFileAccess.View;
import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;

/** N3 and R1 as plain rules: who sees how much of a case file, who reads which note, who may punish. */
class CaseFileAccessTest {

    private static final Relation OWNER = new Relation(true, true, false, false);
    private static final Relation MEMBER = new Relation(true, false, true, false);
    private static final Relation TEACHES = new Relation(true, false, false, true);
    private static final Relation STAFF = new Relation(true, false, false, false);

    private static Caller staff(String subject, String... roles) {
        return new Caller(subject, subject, Set.of(roles), "school-a", OrganisationType.SCHOOL);
    }

    @Test
    void n3_theCareTeamAndTheCoordinatorSeeTheWholeFile() {
        assertEquals(View.FULL, CaseFileAccess.viewOf(staff("o", "pupil-counsellor"), OWNER));
        assertEquals(View.FULL, CaseFileAccess.viewOf(staff("m", "teacher"), MEMBER));
        assertEquals(View.FULL, CaseFileAccess.viewOf(staff("c", "care-coordinator"), STAFF));
    }

    @Test
    void n3_thePrincipalSeesOnlyThatItExistsUnlessOnTheCareTeam() {
        assertEquals(View.EXISTENCE, CaseFileAccess.viewOf(staff("p", "principal"), STAFF));
        assertEquals(View.FULL, CaseFileAccess.viewOf(staff("p", "principal"), MEMBER));
    }

    @Test
    void n3_beingStaffIsNoReasonToRead() {
        assertEquals(View.NONE, CaseFileAccess.viewOf(staff("t", "teacher"), TEACHES));
        assertEquals(View.NONE, CaseFileAccess.viewOf(staff("d", "discipline"), STAFF));
        assertEquals(View.NONE, CaseFileAccess.viewOf(staff("c", "pupil-counsellor"), STAFF));
        assertEquals(View.NONE, CaseFileAccess.viewOf(staff("c", "care-coordinator"), Relation.NONE));
        // A CLB worker never reads the school's file, whatever the token claims (C1 works both ways).
        Caller clb = new Caller("w", "w", Set.of("clb-worker", "care-coordinator"), "school-a", OrganisationType.CLB);
        assertEquals(View.NONE, CaseFileAccess.viewOf(clb, OWNER));
        assertFalse(CaseFileAccess.mayRead(clb, OWNER, Visibility.CARE_TEAM, "w"));
    }

    @Test
    void n3_aPrivateWorkingNoteIsForItsAuthorOnly() {
        assertTrue(CaseFileAccess.mayRead(staff("author", "pupil-counsellor"), OWNER, Visibility.PRIVATE, "author"));
        assertFalse(CaseFileAccess.mayRead(staff("other", "pupil-counsellor"), OWNER, Visibility.PRIVATE, "author"));
        assertFalse(CaseFileAccess.mayRead(staff("p", "principal"), MEMBER, Visibility.PRIVATE, "author"));
        assertFalse(CaseFileAccess.mayRead(staff("c", "care-coordinator"), STAFF, Visibility.PRIVATE, "author"));
    }

    @Test
    void n3_careTeamNotesForTheTeamAndSummariesAlsoForThePupilsTeachers() {
        assertTrue(CaseFileAccess.mayRead(staff("m", "teacher"), MEMBER, Visibility.CARE_TEAM, "a"));
        assertFalse(CaseFileAccess.mayRead(staff("t", "teacher"), TEACHES, Visibility.CARE_TEAM, "a"));
        assertTrue(CaseFileAccess.mayRead(staff("t", "teacher"), TEACHES, Visibility.TEACHERS, "a"));
        assertFalse(CaseFileAccess.mayRead(staff("t", "teacher"), STAFF, Visibility.TEACHERS, "a"));
        assertFalse(CaseFileAccess.mayRead(staff("p", "principal"), STAFF, Visibility.CARE_TEAM, "a"));
        assertFalse(CaseFileAccess.mayRead(staff("c", "care-coordinator"), STAFF, Visibility.CARE_TEAM, "a"));
    }

    @Test
    void onlyTheCareTeamWritesAndOnlyTheOwnerFormsTheTeam() {
        assertTrue(CaseFileAccess.mayWrite(staff("o", "pupil-counsellor"), OWNER));
        assertTrue(CaseFileAccess.mayWrite(staff("m", "teacher"), MEMBER));
        assertFalse(CaseFileAccess.mayWrite(staff("c", "care-coordinator"), STAFF));
        assertTrue(CaseFileAccess.mayManageCareTeam(staff("o", "pupil-counsellor"), OWNER));
        assertFalse(CaseFileAccess.mayManageCareTeam(staff("m", "pupil-counsellor"), MEMBER));
        assertTrue(CaseFileAccess.mayClose(staff("c", "care-coordinator"), STAFF));
        assertFalse(CaseFileAccess.mayClose(staff("m", "pupil-counsellor"), MEMBER));
    }

    @Test
    void r1_whoCounselsDoesNotPunish() {
        assertTrue(CaseFileAccess.mayRegisterDiscipline(staff("d", "discipline"), false));
        assertTrue(CaseFileAccess.mayRegisterDiscipline(staff("p", "principal"), false));
        assertFalse(CaseFileAccess.mayRegisterDiscipline(staff("p", "principal"), true));
        assertFalse(CaseFileAccess.mayRegisterDiscipline(staff("d", "discipline"), true));
        assertFalse(CaseFileAccess.mayRegisterDiscipline(staff("t", "teacher"), false));
        assertTrue(CaseFileAccess.mayReadDiscipline(staff("p", "principal")));
        assertFalse(CaseFileAccess.mayReadDiscipline(staff("c", "care-coordinator")));
        assertFalse(CaseFileAccess.mayReadDiscipline(staff("o", "pupil-counsellor")));
    }

    @Test
    void onlyCounsellorsAndCoordinatorsOfASchoolOpenFiles() {
        assertTrue(CaseFileAccess.mayOpen(staff("c", "pupil-counsellor")));
        assertTrue(CaseFileAccess.mayOpen(staff("c", "care-coordinator")));
        assertFalse(CaseFileAccess.mayOpen(staff("t", "teacher")));
        assertFalse(CaseFileAccess.mayOpen(staff("p", "principal")));
        assertFalse(CaseFileAccess.mayOpen(new Caller("w", "w", Set.of("pupil-counsellor"), "clb-a", OrganisationType.CLB)));
    }
}
