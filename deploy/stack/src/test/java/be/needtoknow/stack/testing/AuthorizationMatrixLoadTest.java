package be.needtoknow.stack.testing;

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

            ## The table

            | Service | Method | Path | Caller | Role | Relation | Expected |
            |---|---|---|---|---|---|---|
            | alpha-service | GET | /files/{id} | owner | pupil counsellor | own school; owns the file | 200 |
            |  alpha-service|GET|/files/{id}?full=true|anonymous|—|—|401|
            | beta-service | GET | /records | dpo | DPO | own organisation | 200 |
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
                new AuthorizationMatrix.Row("GET", "/files/{id}?full=true", "anonymous", 401)), matrix.rows());
        assertEquals("GET /files/{id}", matrix.rows().get(1).endpoint());
    }

    @Test
    void eachFlawIsNamedWithItsLine() throws IOException {
        assertFlaw(DOCUMENT.replace("| owner | pupil counsellor | own school; owns the file | 200 |", "| owner | 200 |"),
                "alpha-service", ":24: a row has 7 cells");
        assertFlaw(DOCUMENT.replace("| beta-service | GET", "| gamma-service | GET"), "alpha-service",
                ":26: unknown service 'gamma-service'");
        assertFlaw(DOCUMENT, "gamma-service", "unknown service 'gamma-service'");
        assertFlaw(DOCUMENT.replace("| DPO | own organisation | 200 |", "| DPO | own school | 200 |"),
                "alpha-service", ":26: the Role and Relation of caller 'dpo'");
        assertFlaw(DOCUMENT.replace("|401|", "|4O1|"), "alpha-service", ":25: the expected status is a number");
        assertFlaw(DOCUMENT.replace("| dpo | frank", "| officer | frank"), "beta-service",
                ":26: caller 'dpo' has no entry in the callers of beta-service");
        assertFlaw(DOCUMENT.replace("|:--|", "|"), "alpha-service",
                ":16: a table's header must be followed by a separator");
        assertFlaw(DOCUMENT + "| beta-service | GET | /records | dpo | DPO | own organisation | 403 |\n", "beta-service",
                ":27: a second row for this caller on this endpoint");
        assertFlaw(DOCUMENT.replace("### beta-service", "### The beta service"), "alpha-service",
                ":16: a list of callers must sit under a heading that names its service");
    }

    @Test
    void theTestAndTheListOfCallersAgree() throws IOException {
        assertFlaw(DOCUMENT, "alpha-service", Set.of("owner"),
                ":25: the test of alpha-service has no token for caller 'anonymous'");
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
