package be.needtoknow.audit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;

import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A2: the tree's leaves are RFC 8785 bytes; ingest's own canonical form equals the reference implementation's. */
class CanonicalJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    private void same(String source) throws Exception {
        assertEquals(new JsonCanonicalizer(source).getEncodedString(), CanonicalJson.of(json.readTree(source), source), source);
    }

    @Test
    void anAuditRecordAsTheServicesWriteIt() throws Exception {
        same("""
                { "service": "case-service", "occurredAt": "2026-11-29T03:00:00.123Z",
                  "actor": {"username": "bart.counsellor", "subject": "a1", "role": "pupil-counsellor",
                            "organisationId": "school-sint-jan", "organisationType": "school"},
                  "action": "note.write", "organisationId": "school-sint-jan",
                  "pupilPseudonym": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                  "resourceType": "note", "resourceId": "8b1f", "purpose": "pupil guidance", "legalBasis": "legal-task",
                  "outcome": "GRANTED", "reason": null, "correlationId": "c-1" }""");
    }

    @Test
    void escapesOrderAndTheCharactersBetween() throws Exception {
        same("{\"b\":\"tab\\t nl\\n cr\\r ff\\f bs\\b quote\\\" backslash\\\\ slash/ del\\u007f ctl\\u0001\\u001f\"}");
        same("{\"\\u20ac\":\"euro\",\"\\ud83d\\ude00\":\"emoji\",\"a\":\"é ü ß 中文 \\u2028\\u2029\",\"A\":[true,false,null,{}]}");
        same("{\"nested\":{\"z\":{\"y\":{\"x\":\"deep\"}},\"a\":[]},\"\":\"empty name\"}");
        same("{\"number\":1e21,\"small\":0.000001,\"int\":-0,\"list\":[1,2.5,\"x\"]}");
    }

    @Test
    void randomRecordsOfStringsAndObjects() throws Exception {
        Random random = new Random(7);
        List<String> pieces = List.of("a", "Z", "é", "\\u0000", "\\n", "\\\"", "€", "\\ud83d\\ude00", " ", "\\\\", "ÿ", "\\u001e");
        for (int n = 0; n < 500; n++) {
            StringBuilder s = new StringBuilder("{");
            int members = 1 + random.nextInt(6);
            for (int m = 0; m < members; m++) {
                if (m > 0) {
                    s.append(',');
                }
                s.append('"').append(m).append(pieces.get(random.nextInt(pieces.size()))).append("\":\"");
                for (int k = random.nextInt(8); k > 0; k--) {
                    s.append(pieces.get(random.nextInt(pieces.size())));
                }
                s.append('"');
            }
            same(s.append('}').toString());
        }
    }
}
