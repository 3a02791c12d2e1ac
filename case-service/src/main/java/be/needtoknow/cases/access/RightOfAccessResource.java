package be.needtoknow.cases.access;

import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.caller.CallerContext;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;

@Path("/pupils/{pupilId}/export")
@Authenticated
@Tag(name = "right of access", description = "What the school holds on a pupil (T4)")
public class RightOfAccessResource {

    @Inject
    RightOfAccess rightOfAccess;

    @Inject
    CallerContext caller;

    @Inject
    @Location("export.html")
    Template page;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Everything case-service holds on the pupil, as JSON", description = "For the DPO or the "
            + "owner of the pupil's case file. Leaves out private working notes and who reported a signal.")
    public PupilExport json(@PathParam("pupilId") @Size(max = 64) String pupilId) {
        return rightOfAccess.export(caller.get(), pupilId);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The same, as a printable page for parents and pupil", description = "In Dutch by default; "
            + "lang=en for English.")
    public String html(@PathParam("pupilId") @Size(max = 64) String pupilId,
            @QueryParam("lang") @DefaultValue("nl") @Pattern(regexp = "nl|en", message = "nl or en") String lang) {
        PupilExport export = rightOfAccess.export(caller.get(), pupilId);
        ResourceBundle bundle = ResourceBundle.getBundle("export.messages", Locale.forLanguageTag(lang));
        Map<String, String> msg = new HashMap<>();
        bundle.keySet().forEach(k -> msg.put(k, bundle.getString(k)));
        msg.put("intro", MessageFormat.format(bundle.getString("intro"),
                export.generatedAt().format(DateTimeFormatter.ISO_LOCAL_DATE), export.generatedBy()));
        return page.data("export", export).data("msg", msg).data("lang", lang).render();
    }
}
