package be.needtoknow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's table is read as a reader sees it, or not at all: each flaw is named with its line. */
class AuthorizationMatrixLoadTest {

    static final String DOCUMENT = """
            # Authorization matrix

            | Expected | Meaning |
            |---|---|
            | 404 | not told it exists |

            ### alpha-service

            | Caller | Who | Role | Relation |
            |---|---|---|---|
            | owner | bart | pupil counsellor | own school; owns the file |
            | anonymous | no token | — | — |

            ### beta-service

            | Caller | Who | Role | Relation |
            |:--|---|---|---|
            | dpo | frank | DPO | own organisation |
            | anonymous | no token | — | — |

            ## The table

            | Service | Method | Path | Caller | Role | Relation | Expected |
            |---|---|---|---|---|---|---|
            | alpha-service | GET | /files/{id} | owner | pupil counsellor | own school; owns the file | 200 |
            |  alpha-service|GET|/files/{id}?full=true|owner|pupil counsellor|own school; owns the file|404|
            | beta-service | GET | /records | dpo | DPO | own organisation | 200 |

            | Service | Method | Path | Why anyone may call it |
            |---|---|---|---|
            | alpha-service | GET | /links/{link} | the link is the credential |
            | beta-service | GET | /q/health/live | no data |

            | Service | Method | Path | Why a grant leaves no record |
            |---|---|---|---|
            | beta-service | GET | /records | no pupil data |
            """;

    @TempDir
    Path dir;

    Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("authorization-matrix.md"), text);
    }

    @Test
    void aServiceGetsItsOwnRowsTrimmed() throws IOException {
        AuthorizationMatrix matrix = AuthorizationMatrix.load(write(DOCUMENT), "alpha-service",
                Set.of("owner", "anonymous"));
        assertEquals(List.of(new AuthorizationMatrix.Row("GET", "/files/{id}", "owner", 200),
                new AuthorizationMatrix.Row("GET", "/files/{id}?full=true", "owner", 404)), matrix.rows());
        assertEquals("GET /files/{id}", matrix.rows().get(1).endpoint());
        assertEquals(Set.of("GET /links/{link}"), matrix.publicEndpoints().keySet());
        assertEquals(Set.of(), matrix.unaudited());
        AuthorizationMatrix beta = AuthorizationMatrix.load(write(DOCUMENT), "beta-service", Set.of("dpo", "anonymous"));
        assertEquals(Set.of("GET /q/health/live"), beta.publicEndpoints().keySet());
        assertEquals(Set.of("GET /records"), beta.unaudited());
    }

    @Test
    void aRelationIsReadAsItsClauses() {
        assertEquals(List.of("own school", "enforces discipline", "also teaches the pupil's class",
                "not on the care team"), AuthorizationMatrix.clauses(
                        "own school; enforces discipline, also teaches the pupil's class, not on the care team"));
        assertEquals(List.of("other organisation (a CLB; not ours, really)", "not the addressee"),
                AuthorizationMatrix.clauses("other organisation (a CLB; not ours, really); not the addressee"));
    }

    @Test
    void theAnonymousCallerIsGeneratedNotWritten() throws IOException {
        assertFlaw(DOCUMENT.replace("|owner|pupil counsellor|own school; owns the file|404|", "|anonymous|—|—|401|"),
                "alpha-service", ":26: the anonymous caller is not written as rows");
        assertFlaw(DOCUMENT.replace("| anonymous | no token | — | — |\n\n## The table", "\n## The table")
                .replace("| dpo | frank | DPO | own organisation |\n| anonymous | no token | — | — |",
                        "| dpo | frank | DPO | own organisation |"),
                "beta-service", Set.of("dpo", "anonymous"), "the callers of beta-service (and its test) have the caller "
                        + "'anonymous'");
        assertFlaw(DOCUMENT, "beta-service", Set.of("dpo"), "have the caller 'anonymous'");
    }

    @Test
    void theListsOfEndpointsAreWellFormed() throws IOException {
        assertFlaw(DOCUMENT.replace("| alpha-service | GET | /links/{link} |", "| gamma-service | GET | /links/{link} |"),
                "alpha-service", ":31: unknown service 'gamma-service'");
        assertFlaw(DOCUMENT.replace("| beta-service | GET | /q/health/live |", "| alpha-service | GET | /links/{link} |"),
                "alpha-service", ":32: a second entry for this endpoint in this list");
        assertFlaw(DOCUMENT.replace("| beta-service | GET | /records | no pupil data |",
                "| beta-service | GET | /records?all=true | no pupil data |"), "beta-service",
                ":36: an endpoint is a method of");
        assertFlaw(DOCUMENT.replace("| beta-service | GET | /records | no pupil data |", "| beta-service | GET | /records |  |"),
                "beta-service", ":36: an endpoint of a list has four filled cells");
    }

    @Test
    void eachFlawIsNamedWithItsLine() throws IOException {
        assertFlaw(DOCUMENT.replace("| owner | pupil counsellor | own school; owns the file | 200 |", "| owner | 200 |"),
                "alpha-service", ":25: a row has 7 cells");
        assertFlaw(DOCUMENT.replace("| beta-service | GET", "| gamma-service | GET"), "alpha-service",
                ":27: unknown service 'gamma-service'");
        assertFlaw(DOCUMENT, "gamma-service", "unknown service 'gamma-service'");
        assertFlaw(DOCUMENT.replace("| DPO | own organisation | 200 |", "| DPO | own school | 200 |"),
                "alpha-service", ":27: the Role and Relation of caller 'dpo'");
        assertFlaw(DOCUMENT.replace("|404|", "|4O4|"), "alpha-service", ":26: the expected status is a number");
        assertFlaw(DOCUMENT.replace("| dpo | frank", "| officer | frank"), "beta-service",
                ":27: caller 'dpo' has no entry in the callers of beta-service");
        assertFlaw(DOCUMENT.replace("|:--|", "|"), "alpha-service",
                ":16: a table's header must be followed by a separator");
        assertFlaw(DOCUMENT.replace("| DPO | own organisation | 200 |",
                "| DPO | own organisation | 200 |\n| beta-service | GET | /records | dpo | DPO | own organisation | 403 |"),
                "beta-service", ":28: a second row for this caller on this endpoint");
        assertFlaw(DOCUMENT.replace("### beta-service", "### The beta service"), "alpha-service",
                ":16: a list of callers must sit under a heading that names its service");
    }

    @Test
    void theTestAndTheListOfCallersAgree() throws IOException {
        assertFlaw(DOCUMENT.replace("|  alpha-service|GET|/files/{id}?full=true|owner|", "| alpha-service | GET | /x | dpo |"),
                "beta-service", Set.of("dpo", "anonymous"), ":26: caller 'dpo' has no entry in the callers of alpha-service");
        assertFlaw(DOCUMENT, "alpha-service", Set.of("anonymous"),
                ":25: the test of alpha-service has no token for caller 'owner'");
        String unused = "| anonymous | no token | — | — |\n| clb | mia | CLB worker | other organisation |";
        assertFlaw(DOCUMENT.replace("| anonymous | no token | — | — |", unused), "alpha-service",
                Set.of("owner", "anonymous", "clb"), ":13: caller 'clb' of alpha-service is in no row");
    }

    void assertFlaw(String document, String service, String message) throws IOException {
        assertFlaw(document, service, Set.of("owner", "anonymous", "dpo"), message);
    }

    void assertFlaw(String document, String service, Set<String> callers, String message) throws IOException {
        Path file = write(document);
        IllegalArgumentException flaw = assertThrows(IllegalArgumentException.class,
                () -> AuthorizationMatrix.load(file, service, callers));
        assertTrue(flaw.getMessage().contains(message), flaw.getMessage());
    }
}
