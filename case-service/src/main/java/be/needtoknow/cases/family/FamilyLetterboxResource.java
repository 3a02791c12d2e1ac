package be.needtoknow.cases.family;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.identity.CallerContext;
import io.quarkus.security.Authenticated;

/** The school platform collects the letters for the family, for a school whose platform delivers them. */
@Path("/family-letterbox/collect")
@Authenticated
@Tag(name = "family channel", description = "Links reach the parents and the pupil directly (X, T4)")
@Produces(MediaType.APPLICATION_JSON)
public class FamilyLetterboxResource {

    @Inject
    FamilyLetterbox letterbox;

    @Inject
    CallerContext caller;

    @POST
    @Operation(operationId = "collectFamilyLetters", summary = "Collect the letters for the family",
            description = "For the school platform's service account of a school that delivers the family's "
            + "messages itself (ntk.family.channel LETTERBOX): the oldest letters (at most 100), each with its "
            + "addressee's registered address and the text with the link. Each letter is handed over once, also to "
            + "collections at the same time; deliver it to that address only. Empty when there is nothing to collect.")
    public List<FamilyLetterbox.Letter> collect() {
        return letterbox.collect(caller.get());
    }
}
