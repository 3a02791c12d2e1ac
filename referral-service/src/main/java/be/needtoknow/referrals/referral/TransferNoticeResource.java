package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import be.needtoknow.common.link.LinkPages;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import be.needtoknow.referrals.referral.TransferNotice.Answer;
import be.needtoknow.referrals.referral.TransferNotice.Party;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * X: the parents' and the pupil's side of a transfer, through the link that reaches them through
 * their own channel, never through the school's staff (no account, no token: the link's secret is
 * the credential; {@link TransferNotices} has case-service mail it to them). JSON for a program (texts
 * in Dutch unless English is asked for, by Accept-Language or {@code ?lang=en}); a browser gets a page
 * in plain words with two forms that work without JavaScript (agree, object), answered by a
 * redirect back to the page (Post/Redirect/Get). Every open and every answer goes through
 * {@link TransferNotices}, which audits it.
 */
@Path("/transfer-notices/{link}")
@PermitAll
@Tag(name = "transfer notices", description = "The parents and the pupil see what a transfer will pass on, and may "
        + "object (X)")
@SecurityRequirements // security: [] — no token; the link's secret is the credential (X)
@Produces(MediaType.APPLICATION_JSON)
public class TransferNoticeResource {

    static final int REASON_MAX = 2000;
    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Europe/Brussels");
    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    public record Objection(@NotNull @Size(min = 1, max = REASON_MAX) String reason) {
    }

    /** One thing the new school receives, as the page shows it. */
    public record Row(String title, List<Field> fields, String purpose) {
    }

    public record Field(String label, String value, boolean longText) {
    }

    @Inject
    TransferNotices notices;

    @Inject
    @Location("transfer-notice.html")
    Template page;

    @Context
    HttpHeaders headers;

    /** The JSON's language: {@code ?lang} when given, else Accept-Language, else Dutch. */
    private Locale locale(String lang) {
        if ("en".equals(lang) || "nl".equals(lang)) {
            return Locale.forLanguageTag(lang);
        }
        return headers.getAcceptableLanguages().stream().map(Locale::getLanguage).filter(l -> l.equals("en") || l.equals("nl"))
                .findFirst().map(Locale::forLanguageTag).orElse(Locale.forLanguageTag("nl"));
    }

    /** The page's language: {@code ?lang=en} for English, Dutch otherwise. */
    private static String pageLang(String lang) {
        return "en".equals(lang) ? "en" : "nl";
    }

    private boolean pageWanted() {
        return LinkPages.pageWanted(headers);
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(operationId = "readTransferNotice",
            summary = "What the transfer will pass on to the new school, and until when one may object",
            description = "JSON, or with Accept: text/html a page for the parents or the pupil (Dutch by default, "
                    + "lang=en for English). A wrong link is 404.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferNotices.HolderView.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response read(
            @Parameter(description = "The link mailed to the parents or the pupil (never to the school's staff): its secret is the credential")
            @PathParam("link") @Size(max = 200) String link, @QueryParam("lang") String lang) {
        if (!pageWanted()) {
            return Response.ok(notices.open(link, locale(lang)), MediaType.APPLICATION_JSON_TYPE).build();
        }
        String l = pageLang(lang);
        try {
            TransferNotices.HolderView view = notices.open(link, Locale.forLanguageTag(l));
            return html(200, render(link, l, view, null, null, null));
        } catch (ProblemException e) {
            throw unknown(e, link, l);
        }
    }

    @POST
    @Path("/objection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "objectToTransfer", summary = "Object to the item list",
            description = "The transfer is not sent with this list; the school "
            + "sees the reason and discusses it again.")
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "200", description = "The notice, with the objection", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferNotices.HolderView.class)))
    public TransferNotices.HolderView object(
            @Parameter(description = "The link mailed to the parents or the pupil (never to the school's staff): its secret is the credential")
            @PathParam("link") @Size(max = 200) String link,
            @QueryParam("lang") String lang, @Valid @NotNull Objection objection) {
        return notices.answer(link, Answer.OBJECTED, objection.reason(), locale(lang));
    }

    /**
     * One endpoint for both: agreeing needs no body, so the request's type says who asks. The page's
     * form posts {@code application/x-www-form-urlencoded} and is answered 303 to the page; any other
     * request (a platform, or curl without a body) gets the notice as JSON, as always.
     */
    @POST
    @Path("/agreement")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(operationId = "agreeToTransfer", summary = "Agree to the item list now",
            description = "When every party agrees, the school may send "
            + "before the period ends. From the page's form (application/x-www-form-urlencoded): 303 See Other to the "
            + "page, and a notice that can no longer be answered is a page with 409.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TransferNotices.HolderView.class)))
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "303", description = "From the page's form: answered, back to the page")
    @APIResponse(responseCode = "409", description = "The notice can no longer be answered", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response agree(
            @Parameter(description = "The link mailed to the parents or the pupil (never to the school's staff): its secret is the credential")
            @PathParam("link") @Size(max = 200) String link, @QueryParam("lang") String lang) {
        MediaType type = headers.getMediaType();
        if (type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return answerForm(link, pageLang(lang), Answer.AGREED, null);
        }
        return Response.ok(notices.answer(link, Answer.AGREED, null, locale(lang)),
                MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
    }

    @POST
    @Path("/objection")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Object, from the page's form", description = "As the JSON variant; answers 303 See Other to "
            + "the page. An empty or too long reason is the page again with 400, a notice that can no longer be "
            + "answered a page with 409.")
    @APIResponse(responseCode = "303", description = "From the page's form: answered, back to the page")
    @APIResponse(responseCode = "409", description = "The notice can no longer be answered", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response objectForm(@PathParam("link") @Size(max = 200) String link, @QueryParam("lang") String lang,
            @FormParam("reason") String reason) {
        String l = pageLang(lang);
        String given = reason == null ? "" : reason;
        if (given.isBlank() || given.length() > REASON_MAX) {
            // Nothing is recorded: the page again, with the reason as typed and what is wrong with it.
            try {
                TransferNotices.HolderView view = notices.open(link, Locale.forLanguageTag(l));
                if (!answerable(view)) {
                    return html(409, render(link, l, view, null, null, "refused"));
                }
                return html(400, render(link, l, view, given.isBlank() ? "reasonEmpty" : "reasonTooLong", given, null));
            } catch (ProblemException e) {
                throw unknown(e, link, l);
            }
        }
        return answerForm(link, l, Answer.OBJECTED, given);
    }

    private Response answerForm(String link, String lang, Answer answer, String reason) {
        try {
            notices.answer(link, answer, reason, Locale.forLanguageTag(lang));
        } catch (ProblemException e) {
            if (e.problem().status() != 409) {
                throw unknown(e, link, lang);
            }
            // Answered before, or no longer open: say so, with the notice as it stands.
            Response page;
            try {
                page = html(409, render(link, lang, notices.open(link, Locale.forLanguageTag(lang)), null, null, "refused"));
            } catch (ProblemException again) {
                throw unknown(again, link, lang);
            }
            throw e.answeredWith(page);
        }
        // Post/Redirect/Get: a path, so that it holds behind any host name.
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, "/transfer-notices/" + link
                + "?lang=" + lang).build();
    }

    private static boolean answerable(TransferNotices.HolderView view) {
        return view.state().equals("OPEN") && view.answer() == null;
    }

    /** What the page says its state is: the notice's, with ANSWERED for an open notice that has its answer. */
    private static String pageState(TransferNotices.HolderView view) {
        return view.state().equals("OPEN") && view.answer() != null ? "ANSWERED" : view.state();
    }

    private static Response html(int status, String body) {
        return Response.status(status).entity(body).type(HTML).build();
    }

    /**
     * A link that finds no notice (a wrong secret, or no such notice): the refusal, to be answered with
     * a page in plain words, same status (and recorded all the same); any other problem as it is.
     */
    private ProblemException unknown(ProblemException e, String link, String lang) {
        int status = e.problem().status();
        if (status != 404) {
            return e;
        }
        ResourceBundle bundle = ResourceBundle.getBundle("notice.messages", Locale.forLanguageTag(lang));
        Map<String, String> msg = LinkPages.texts(bundle, false, "", "", "", "");
        String body = page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en")
                .data("state", "UNKNOWN").data("msg", msg).data("title", msg.get("title.UNKNOWN"))
                .data("heading", msg.get("title.UNKNOWN"))
                .data("status", msg.get("status.UNKNOWN")).data("link", link).data("school", null)
                .data("answerText", null).data("rows", null).data("answerable", false).data("error", null)
                .data("reason", "").data("refused", null).render();
        return e.answeredWith(html(status, body));
    }

    private String render(String link, String lang, TransferNotices.HolderView view, String error, String reason,
            String refused) {
        Locale locale = Locale.forLanguageTag(lang);
        ResourceBundle bundle = ResourceBundle.getBundle("notice.messages", locale);
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm", locale);
        OffsetDateTime ends = view.periodEndsAt();
        String endsText = date.format(ends.atZoneSameInstant(SCHOOL_ZONE)) + " " + bundle.getString("at") + " "
                + time.format(ends.atZoneSameInstant(SCHOOL_ZONE));
        String answered = view.answeredAt() == null ? "" : date.format(view.answeredAt().atZoneSameInstant(SCHOOL_ZONE));
        Map<String, String> msg = LinkPages.texts(bundle, view.party() == Party.PUPIL, view.school(), view.newSchool(),
                endsText, answered);
        String state = pageState(view);
        String answerText = view.answer() == null || state.equals("SUPERSEDED") ? null
                : msg.get("answer." + view.answer().name());
        String heading = refused != null ? msg.get("title.refused") : msg.get("title." + state);
        // The window's title says first that something needs fixing; the heading stays the page's own.
        String title = error == null ? heading : msg.get("title.error") + " " + heading;
        return page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en").data("state", state)
                .data("msg", msg).data("title", title).data("heading", heading).data("status", msg.get("status." + state)).data("link", link)
                .data("school", view.school()).data("answerText", answerText)
                .data("rows", view.items() == null ? null : rows(view.items(), msg, locale))
                .data("answerable", answerable(view)).data("error", error == null ? null : msg.get(error))
                .data("reason", reason == null ? "" : reason).data("refused", refused == null ? null : msg.get("refused"))
                .render();
    }

    /** The items in plain words: what each is, its content as agreed, and why the new school gets it. */
    static List<Row> rows(List<Item> items, Map<String, String> msg, Locale locale) {
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        List<Row> rows = new ArrayList<>();
        for (Item item : items) {
            List<Field> fields = new ArrayList<>();
            String title;
            if (item instanceof Item.Question q) {
                title = msg.get("item.QUESTION");
                fields.add(new Field(msg.get("field.question"), q.text(), true));
            } else if (item instanceof Item.Note n) {
                title = msg.get("item.NOTE");
                if (n.kind() != null) {
                    fields.add(new Field(msg.get("field.kind"), msg.getOrDefault("kind." + n.kind(), n.kind()), false));
                }
                if (n.writtenAt() != null) {
                    fields.add(new Field(msg.get("field.writtenAt"),
                            date.format(n.writtenAt().atZoneSameInstant(SCHOOL_ZONE)), false));
                }
                fields.add(new Field(msg.get("field.text"), n.text(), true));
            } else if (item instanceof Item.PupilIdentification p) {
                title = msg.get("item.PUPIL");
                fields.add(new Field(msg.get("field.name"), p.givenName() + " " + p.familyName(), false));
                fields.add(new Field(msg.get("field.birthDate"), date.format(p.birthDate()), false));
            } else {
                Item.Contact c = (Item.Contact) item;
                title = msg.get("item.CONTACT");
                fields.add(new Field(msg.get("field.name"), c.name(), false));
                if (c.email() != null) {
                    fields.add(new Field(msg.get("field.email"), c.email(), false));
                }
                if (c.phone() != null) {
                    fields.add(new Field(msg.get("field.phone"), c.phone(), false));
                }
            }
            rows.add(new Row(title, fields, item.purpose()));
        }
        return rows;
    }
}
