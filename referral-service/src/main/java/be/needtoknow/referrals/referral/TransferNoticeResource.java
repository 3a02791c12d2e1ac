package be.needtoknow.referrals.referral;

import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.referrals.referral.TransferNotice.Answer;

/**
 * X: the parents' and the pupil's side of a transfer, through the link the school hands them (no
 * account, no token: the link's secret is the credential). The school's platform shows this to
 * them; the texts are in Dutch unless English is asked for (Accept-Language).
 */
@Path("/transfer-notices/{link}")
@PermitAll
@Tag(name = "transfer notices", description = "The parents and the pupil see what a transfer will pass on, and may "
        + "object (X)")
@Produces(MediaType.APPLICATION_JSON)
public class TransferNoticeResource {

    public record Objection(@NotNull @Size(min = 1, max = 2000) String reason) {
    }

    @Inject
    TransferNotices notices;

    @Context
    HttpHeaders headers;

    private Locale locale() {
        return headers.getAcceptableLanguages().stream().map(Locale::getLanguage).filter(l -> l.equals("en") || l.equals("nl"))
                .findFirst().map(Locale::forLanguageTag).orElse(Locale.forLanguageTag("nl"));
    }

    @GET
    @Operation(summary = "What the transfer will pass on to the new school, and until when one may object")
    public TransferNotices.HolderView read(@PathParam("link") @Size(max = 200) String link) {
        return notices.open(link, locale());
    }

    @POST
    @Path("/agreement")
    @Operation(summary = "Agree to the item list now", description = "When every party agrees, the school may send "
            + "before the period ends.")
    public TransferNotices.HolderView agree(@PathParam("link") @Size(max = 200) String link) {
        return notices.answer(link, Answer.AGREED, null, locale());
    }

    @POST
    @Path("/objection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Object to the item list", description = "The transfer is not sent with this list; the school "
            + "sees the reason and discusses it again.")
    public TransferNotices.HolderView object(@PathParam("link") @Size(max = 200) String link,
            @Valid @NotNull Objection objection) {
        return notices.answer(link, Answer.OBJECTED, objection.reason(), locale());
    }
}
