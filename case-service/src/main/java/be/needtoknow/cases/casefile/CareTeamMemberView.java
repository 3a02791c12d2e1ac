package be.needtoknow.cases.casefile;

import java.time.OffsetDateTime;

/** A care-team member as shown to those who see the case file. */
public record CareTeamMemberView(String username, String role, String purpose, String addedBy, OffsetDateTime addedAt) {

    static CareTeamMemberView of(CareTeamMember m) {
        return new CareTeamMemberView(m.username, m.teamRole, m.purpose, m.addedBy, m.addedAt);
    }
}
