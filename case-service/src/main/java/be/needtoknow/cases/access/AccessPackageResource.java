package be.needtoknow.cases.access;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
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

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.link.LinkPages;
import be.needtoknow.cases.access.AccessRequest.Requester;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;

/**
 * T4: what the school holds on the pupil, for the parents or the pupil who asked, through the link
 * the suite sent to their own registered address (no account, no token: the link's secret is the credential). JSON for
 * programs; a browser gets a printable page in plain words, addressed to the parents ("u") or to
 * the pupil who asked ("je"), Dutch by default and English with {@code ?lang=en}. A link that does
 * not work is a page too (404 unknown, 410 expired) for a browser, problem+json for the rest.
 */
@Path("/access-packages/{link}")
@PermitAll
@Tag(name = "right of access", description = "Parents and pupil learn what the school holds (T4)")
@SecurityRequirements // security: [] — no token; the link's secret is the credential (T4)
public class AccessPackageResource {

    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Europe/Brussels");
    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    @Inject
    AccessRequests requests;

    @Inject
    @Location("access-package.html")
    Template page;

    @Inject
    Config config;

    @Context
    HttpHeaders headers;

    private boolean pageWanted() {
        return LinkPages.pageWanted(headers);
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(operationId = "readAccessPackage",
            summary = "What the school holds on the pupil", description = "JSON, or with Accept: text/html a "
            + "printable page (in Dutch by default; lang=en for English). Leaves out private working notes and who "
            + "reported a signal. Holds the referrals and transfers as referral-service holds them; when it cannot "
            + "be reached, referrals is null and leftOut says referrals-unavailable. A wrong secret is 404, an "
            + "expired link 410 (with Accept: text/html, as a page).")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccessPackage.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "410", description = "The link has expired", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response read(
            @Parameter(description = "The link sent to the requester's own address: its secret is the credential")
            @PathParam("link") @Size(max = 200) String link,
            @QueryParam("lang") @DefaultValue("nl") @Pattern(regexp = "nl|en", message = "nl or en") String lang) {
        if (!pageWanted()) {
            return Response.ok(requests.open(link), MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
        }
        AccessRequests.Opened opened;
        try {
            opened = requests.openWithSchool(link);
        } catch (ProblemException e) {
            int status = e.problem().status();
            if (status != 404 && status != 410) {
                throw e;
            }
            // The refusal, answered with a page in plain words (and recorded all the same).
            throw e.answeredWith(Response.status(status).entity(notWorking(link, lang, status == 410 ? "EXPIRED"
                    : "UNKNOWN")).type(HTML).build());
        }
        return Response.ok(render(link, lang, opened), HTML).build();
    }

    /** The school's name as parents know it ({@code ntk.school-names.<organisation id>}), else its id. */
    private String schoolName(String organisationId) {
        return config.getOptionalValue("ntk.school-names." + organisationId, String.class).orElse(organisationId);
    }

    private String notWorking(String link, String lang, String state) {
        ResourceBundle bundle = ResourceBundle.getBundle("access.messages", Locale.forLanguageTag(lang));
        Map<String, String> msg = LinkPages.texts(bundle, false, "", "", "", "");
        return page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en").data("link", link)
                .data("state", state).data("msg", msg).data("title", msg.get("title." + state))
                .data("stateText", msg.get(state + ".text")).data("stateTodo", msg.get(state + ".todo"))
                .data("content", null).data("pupilsConversationsLeftOut", false).data("referralsKept", false)
                .data("referralsUnavailable", false).data("school", null).data("printHeader", "\"\"").data("printFooter", "\"\"")
                .render();
    }

    private String render(String link, String lang, AccessRequests.Opened opened) {
        AccessPackage content = opened.content();
        Locale locale = Locale.forLanguageTag(lang);
        ResourceBundle bundle = ResourceBundle.getBundle("access.messages", locale);
        DateTimeFormatter words = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        String school = schoolName(opened.organisationId());
        String generated = words.format(content.generatedAt().atZoneSameInstant(SCHOOL_ZONE));
        String requested = words.format(content.requestedAt().atZoneSameInstant(SCHOOL_ZONE));
        Map<String, String> msg = LinkPages.texts(bundle, content.requestedBy() == Requester.PUPIL,
                new Object[] { school, generated, requested, content.pupil().givenName() });
        return page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en").data("link", link)
                .data("state", "OK").data("msg", msg).data("title", msg.get("title")).data("content", content)
                .data("pupilsConversationsLeftOut", content.leftOut().contains(AccessPackage.PUPIL_CONVERSATIONS))
                .data("referralsKept", content.leftOut().contains(AccessPackage.REFERRALS_KEPT_FROM_PARENTS))
                .data("referralsUnavailable", content.leftOut().contains(AccessPackage.REFERRALS_UNAVAILABLE))
                .data("school", school).data("dates", new Dates(locale)).data("stateText", null).data("stateTodo", null)
                .data("printHeader", LinkPages.cssString(school))
                .data("printFooter", LinkPages.cssString(msg.get("print.footer") + " "))
                .render();
    }

    /** Dates in words for the template ("14 december 2026"), in the school's time zone. */
    @TemplateData
    public static final class Dates {

        private final DateTimeFormatter words;

        Dates(Locale locale) {
            this.words = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        }

        public String of(Object when) {
            if (when instanceof OffsetDateTime t) {
                return words.format(t.atZoneSameInstant(SCHOOL_ZONE));
            }
            if (when instanceof LocalDate d) {
                return words.format(d);
            }
            return when == null ? "" : when.toString();
        }
    }
}
