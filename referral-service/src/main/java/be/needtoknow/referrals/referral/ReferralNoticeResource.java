package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
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
import be.needtoknow.referrals.referral.TransferNotice.Party;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * T1, T3, M1, M2: the family's side of a referral sent with their consent, through the link that
 * reaches them through their own channel, never through the school's staff (no account, no token: the
 * link's secret is the credential; {@link ReferralNotices} has case-service mail it to them). What
 * went to whom and when, the status, and — for the party whose consent counted — a form without
 * script to withdraw that consent. JSON for a program (texts in Dutch unless English is asked for, by
 * Accept-Language or {@code ?lang=en}); a browser gets a page in plain words, and the form is answered
 * by a redirect back to the page (Post/Redirect/Get). Every open and every withdrawal goes through
 * {@link ReferralNotices}, which audits it.
 */
@Path("/referral-notices/{link}")
@PermitAll
@Tag(name = "referral notices", description = "The pupil or the parents see what a referral sent with their consent "
        + "passed on, and the party whose consent counted may withdraw it (T1, T3, M1, M2)")
@SecurityRequirements // security: [] — no token; the link's secret is the credential (T3)
@Produces(MediaType.APPLICATION_JSON)
public class ReferralNoticeResource {

    static final int REASON_MAX = TransferNoticeResource.REASON_MAX;
    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Europe/Brussels");
    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    private static final String BUNDLE = "referral-notice.messages";

    /** Why the consent is withdrawn, in the holder's own words; optional. */
    public record Withdrawal(@Size(max = REASON_MAX) String reason) {
    }

    @Inject
    ReferralNotices notices;

    @Inject
    @Location("referral-notice.html")
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

    @GET
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(operationId = "readReferralNotice",
            summary = "What a referral sent with your consent passed on, to whom and when, and its status",
            description = "JSON, or with Accept: text/html a page for the pupil or the parents (Dutch by default, "
                    + "lang=en for English), with a form to withdraw the consent when it is the holder's that counted "
                    + "(mayWithdraw). A wrong link is 404.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReferralNotices.HolderView.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response read(
            @Parameter(description = "The link mailed to the pupil or the parents (never to the school's staff): its secret is the credential")
            @PathParam("link") @Size(max = 200) String link, @QueryParam("lang") String lang) {
        if (!LinkPages.pageWanted(headers)) {
            return Response.ok(notices.open(link, locale(lang)), MediaType.APPLICATION_JSON_TYPE).build();
        }
        String l = pageLang(lang);
        try {
            return html(200, render(link, l, notices.open(link, Locale.forLanguageTag(l)), null, null, null));
        } catch (ProblemException e) {
            throw unknown(e, link, l);
        }
    }

    @POST
    @Path("/withdrawal")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "withdrawReferralConsent", summary = "Withdraw the consent the referral was sent with (T3)",
            description = "Only by the party whose consent counted: the pupil from 12 (M1), the parents below 12 (M2); "
            + "the parents' notice of a pupil of 12 or more only informs (403, rule M1). Only while the referral is SENT, "
            + "RECEIVED or ACCEPTED (else 409). The referral is withdrawn as the school withdraws it: what the recipient "
            + "already received is not undone, but it is told on its topic and can no longer move the referral on; the "
            + "school sees who withdrew, when and the reason, if given.")
    @APIResponse(responseCode = "200", description = "The notice, with the referral withdrawn", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReferralNotices.HolderView.class)))
    @APIResponse(responseCode = "403", description = "A notice that only informs: the pupil's consent counts (M1)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such link, or a wrong secret (audited)", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    @APIResponse(responseCode = "409", description = "The referral was declined, closed or withdrawn already", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public ReferralNotices.HolderView withdraw(
            @Parameter(description = "The link mailed to the pupil or the parents (never to the school's staff): its secret is the credential")
            @PathParam("link") @Size(max = 200) String link,
            @QueryParam("lang") String lang, @Valid Withdrawal withdrawal) {
        return notices.withdraw(link, withdrawal == null ? null : withdrawal.reason(), locale(lang));
    }

    @POST
    @Path("/withdrawal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Withdraw the consent, from the page's form", description = "As the JSON variant; answers 303 "
            + "See Other to the page. A too long reason is the page again with 400, nothing recorded; a notice that "
            + "cannot withdraw (403) or a referral that can no longer be withdrawn (409) is a page that says so.")
    @APIResponse(responseCode = "303", description = "From the page's form: withdrawn, back to the page")
    @APIResponse(responseCode = "409", description = "The referral can no longer be withdrawn", content = {
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)),
            @Content(mediaType = MediaType.TEXT_HTML) })
    public Response withdrawForm(@PathParam("link") @Size(max = 200) String link, @QueryParam("lang") String lang,
            @FormParam("reason") String reason) {
        String l = pageLang(lang);
        String given = reason == null ? "" : reason;
        if (given.length() > REASON_MAX) {
            // Nothing is recorded: the page again, with the reason as typed and what is wrong with it.
            try {
                ReferralNotices.HolderView view = notices.open(link, Locale.forLanguageTag(l));
                return html(400, render(link, l, view, "reasonTooLong", given, null));
            } catch (ProblemException e) {
                throw unknown(e, link, l);
            }
        }
        try {
            notices.withdraw(link, given.isBlank() ? null : given, Locale.forLanguageTag(l));
        } catch (ProblemException e) {
            int status = e.problem().status();
            if (status != 403 && status != 409) {
                throw unknown(e, link, l);
            }
            // Not this link's to withdraw, or no longer possible: say so, with the referral as it stands.
            Response page;
            try {
                page = html(status, render(link, l, notices.open(link, Locale.forLanguageTag(l)), null, null, "refused"));
            } catch (ProblemException again) {
                throw unknown(again, link, l);
            }
            throw e.answeredWith(page);
        }
        // Post/Redirect/Get: a path, so that it holds behind any host name.
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, "/referral-notices/" + link
                + "?lang=" + l).build();
    }

    private static Response html(int status, String body) {
        return Response.status(status).entity(body).type(HTML).build();
    }

    /**
     * A link that finds no notice (a wrong secret, or no such notice): the refusal, to be answered with
     * a page in plain words, same status (and recorded all the same); any other problem as it is.
     */
    private ProblemException unknown(ProblemException e, String link, String lang) {
        if (e.problem().status() != 404) {
            return e;
        }
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang));
        Map<String, String> msg = LinkPages.texts(bundle, false, "", "", "", "");
        String body = page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en").data("state", "UNKNOWN")
                .data("msg", msg).data("title", msg.get("title.UNKNOWN")).data("heading", msg.get("title.UNKNOWN"))
                .data("status", msg.get("status.UNKNOWN")).data("link", link).data("school", null).data("intro", null)
                .data("rows", null).data("mayWithdraw", false).data("error", null).data("reason", "")
                .data("refused", null).render();
        return e.answeredWith(html(404, body));
    }

    private String render(String link, String lang, ReferralNotices.HolderView view, String error, String reason,
            String refused) {
        Locale locale = Locale.forLanguageTag(lang);
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale);
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
        String sent = view.sentAt() == null ? "" : date.format(view.sentAt().atZoneSameInstant(SCHOOL_ZONE));
        OffsetDateTime withdrawnAt = view.withdrawnAt();
        String withdrawn = withdrawnAt == null ? "" : date.format(withdrawnAt.atZoneSameInstant(SCHOOL_ZONE));
        Map<String, String> msg = LinkPages.texts(bundle, view.party() == Party.PUPIL, view.school(), view.recipient(),
                sent, withdrawn);
        String state = view.state();
        String statusKey = state.equals("WITHDRAWN") ? "status.WITHDRAWN."
                + (view.withdrawnBy() == null ? "SCHOOL" : view.withdrawnBy().name()) : "status." + state;
        String heading = refused != null ? msg.get("title.refused") : msg.get("title." + state);
        // The window's title says first that something needs fixing; the heading stays the page's own.
        String title = error == null ? heading : msg.get("title.error") + " " + heading;
        return page.data("lang", lang).data("other", lang.equals("en") ? "nl" : "en").data("state", state)
                .data("msg", msg).data("title", title).data("heading", heading)
                .data("status", msg.getOrDefault(statusKey, msg.get("status." + state))).data("link", link)
                .data("school", view.school()).data("intro", msg.get("intro"))
                .data("rows", view.items() == null ? null : TransferNoticeResource.rows(view.items(), msg, locale))
                .data("mayWithdraw", view.mayWithdraw()).data("error", error == null ? null : msg.get(error))
                .data("reason", reason == null ? "" : reason).data("refused", refused == null ? null : msg.get("refused"))
                .render();
    }
}
