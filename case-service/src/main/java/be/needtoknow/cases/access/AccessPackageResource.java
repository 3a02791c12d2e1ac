package be.needtoknow.cases.access;

import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * T4: what the school holds on the pupil, for the parents or the pupil who asked, through the link
 * the DPO handed them (no account, no token: the link's secret is the credential).
 */
@Path("/access-packages/{link}")
@PermitAll
@Tag(name = "right of access", description = "Parents and pupil learn what the school holds (T4)")
public class AccessPackageResource {

    @Inject
    AccessRequests requests;

    @Inject
    @Location("access-package.html")
    Template page;

    @Context
    HttpHeaders headers;

    /**
     * JSON unless the client prefers a page: a browser (text/html before any wildcard) gets the
     * printable page; curl's {@code *}{@code /*} and {@code application/json} get JSON.
     */
    private boolean pageWanted() {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(summary = "What the school holds on the pupil", description = "JSON, or with Accept: text/html a "
            + "printable page (in Dutch by default; lang=en for English). Leaves out private working notes and who "
            + "reported a signal. A wrong secret is 404, an expired link 410.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccessPackage.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response read(@PathParam("link") @Size(max = 200) String link,
            @QueryParam("lang") @DefaultValue("nl") @Pattern(regexp = "nl|en", message = "nl or en") String lang) {
        AccessPackage content = requests.open(link);
        if (!pageWanted()) {
            return Response.ok(content, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
        }
        ResourceBundle bundle = ResourceBundle.getBundle("access.messages", Locale.forLanguageTag(lang));
        Map<String, String> msg = new HashMap<>();
        bundle.keySet().forEach(k -> msg.put(k, bundle.getString(k)));
        msg.put("intro", MessageFormat.format(bundle.getString("intro"),
                content.generatedAt().format(DateTimeFormatter.ISO_LOCAL_DATE),
                bundle.getString("requestedBy." + content.requestedBy().name()),
                content.requestedAt().format(DateTimeFormatter.ISO_LOCAL_DATE)));
        String page = this.page.data("content", content).data("msg", msg).data("lang", lang).render();
        return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
