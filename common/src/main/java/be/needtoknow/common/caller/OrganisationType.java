package be.needtoknow.common.caller;

import java.util.Locale;

/** The kinds of organisation of docs/rules.md, as carried by the token's organisation claim. */
public enum OrganisationType {
    SCHOOL, CLB, CARE, AUTHORITY;

    public static OrganisationType parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
