package be.needtoknow.referrals.recipient;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

@Path("/recipients")
@Authenticated
@Tag(name = "recipients", description = "The recipient directory")
@Produces(MediaType.APPLICATION_JSON)
public class RecipientResource {

    public record RecipientView(String id, String name, Recipient.Type type, boolean directlyAccessible) {
    }

    @GET
    @Operation(operationId = "listRecipients", summary = "The recipients a referral or transfer can be addressed to")
    public List<RecipientView> list() {
        return Recipient.<Recipient>listAll().stream()
                .map(r -> new RecipientView(r.id, r.name, r.type, r.directlyAccessible)).toList();
    }
}
