package be.needtoknow.audit.console;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import be.needtoknow.audit.DpoOnly;
import be.needtoknow.audit.console.ConsoleViews.AlarmRow;
import be.needtoknow.audit.console.ConsoleViews.FlagRow;
import be.needtoknow.audit.console.ConsoleViews.RecordRow;
import be.needtoknow.audit.console.ConsoleViews.StatisticsRow;
import be.needtoknow.audit.console.ConsoleViews.WitnessRow;
import be.needtoknow.audit.query.AccessReport;
import be.needtoknow.audit.query.AuditQuery;
import be.needtoknow.audit.query.AuditRecordView;
import be.needtoknow.audit.report.RegistrationStatistics;
import be.needtoknow.audit.report.UnusualAccess;
import be.needtoknow.audit.tree.AuditAlarms;
import be.needtoknow.audit.tree.AuditLogAccess;
import be.needtoknow.audit.tree.Checkpoints;
import be.needtoknow.audit.tree.TreeVerifier;
import be.needtoknow.audit.tree.Witnesses;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.identity.CallerContext;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * The DPO's console (A3, A2, A4, T4): server-rendered pages over the same query beans as the API,
 * which scope every query to the caller's own organisation and record it in the trail; the console
 * adds no query of its own. Signed in through the OIDC tenant "console" (application.properties);
 * only the role dpo gets a page, anyone else a 403 page (the refusal audited, as the API's).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleResource {

    static final int PAGE_SIZE = 50;
    /** A4: counts below this are suppressed by RegistrationStatistics; the page says so. */
    static final int SMALLEST_SHOWN = 5;
    static final String CSV = "text/csv";
    static final String JSON_LINES = "application/x-ndjson";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] SEARCH_FIELDS = { "pupilId", "person", "action", "outcome", "from", "to" };

    /** The signed-in person's token (in the console, the ID token of the session), for the name shown. */
    @Inject
    org.eclipse.microprofile.jwt.JsonWebToken token;

    @Inject
    CallerContext callerContext;

    @Inject
    DpoOnly dpoOnly;

    @Inject
    AuditQuery auditQuery;

    @Inject
    AccessReport accessReport;

    @Inject
    UnusualAccess unusualAccess;

    @Inject
    RegistrationStatistics statistics;

    @Inject
    AuditLogAccess logAccess;

    @Inject
    Witnesses witnesses;

    @Inject
    Checkpoints checkpoints;

    @Inject
    UriInfo uri;

    @Inject
    HttpHeaders headers;

    @ConfigProperty(name = "ntk.audit.console.zone", defaultValue = "Europe/Brussels")
    ZoneId zone;

    @Inject
    @Location("console/home.html")
    Template home;

    @Inject
    @Location("console/records.html")
    Template records;

    @Inject
    @Location("console/proof.html")
    Template proof;

    @Inject
    @Location("access-report.html")
    Template report;

    @Inject
    @Location("console/unusual.html")
    Template unusual;

    @Inject
    @Location("console/urgent.html")
    Template urgent;

    @Inject
    @Location("console/statistics.html")
    Template statisticsPage;

    @Inject
    @Location("console/log.html")
    Template log;

    @Inject
    @Location("console/error.html")
    Template error;

    @Inject
    @Location("console/signed-out.html")
    Template signedOut;

    // ---------------------------------------------------------------------------------------------

    @GET
    @Operation(summary = "The console's home page")
    public Response home(@QueryParam("lang") String lang) {
        return page(lang, "home", p -> {
            requireDpo(p);
            return ok(home.data("p", p));
        });
    }

    @GET
    @Path("/signed-out")
    @Operation(summary = "The page after logout (needs no session)")
    public Response signedOut(@QueryParam("lang") String lang) {
        ConsolePage p = ConsolePage.of(lang, "signed-out", null, "/console/signed-out", null);
        return ok(signedOut.data("p", p));
    }

    /** A3: the search; the same AuditQuery.search as GET /audit-records, so the same audit.search record. */
    @GET
    @Path("/records")
    @Operation(summary = "Search the organisation's audit trail (A3)")
    public Response records(@QueryParam("lang") String lang) {
        return page(lang, "records", p -> {
            ConsoleForm form = new ConsoleForm(uri.getQueryParameters(), p);
            TemplateInstance view = records.data("p", p);
            for (String field : SEARCH_FIELDS) {
                view.data(field, form.raw(field));
            }
            boolean searched = form.submitted(SEARCH_FIELDS) || form.submitted("page");
            if (!searched) {
                requireDpo(p);
                return ok(view.data("searched", false).data("errors", List.of()).data("rows", List.of()));
            }
            AuditQuery.Criteria criteria = criteria(form, null);
            int page = form.page("page");
            if (!form.ok()) {
                requireDpo(p);
                return status(400, view.data("searched", false).data("errors", form.errors).data("rows", List.of()));
            }
            List<AuditRecordView> found = auditQuery.search(callerContext.get(), criteria, page, PAGE_SIZE);
            List<String[]> params = searchParameters(form);
            String pupilId = form.value("pupilId");
            return ok(view.data("searched", true).data("errors", List.of()).data("rows", rows(found, p))
                    .data("pageNumber", page + 1)
                    .data("prevHref", page > 0 ? "/console/records" + p.query(with(params, "page", String.valueOf(page - 1))) : null)
                    .data("nextHref", found.size() == PAGE_SIZE
                            ? "/console/records" + p.query(with(params, "page", String.valueOf(page + 1))) : null)
                    .data("exportCsvHref", "/console/records/export" + p.query(with(params, "format", "csv")))
                    .data("exportJsonlHref", "/console/records/export" + p.query(with(params, "format", "jsonl")))
                    .data("reportHref", pupilId == null ? null
                            : "/console/pupils/" + ConsolePage.encode(pupilId).replace("+", "%20") + "/report" + p.q()));
        });
    }

    /** A3: the export of the current search; the same AuditQuery.export as GET /audit-records/export (audit.export). */
    @GET
    @Path("/records/export")
    @Produces({ MediaType.TEXT_HTML + ";charset=UTF-8", CSV, JSON_LINES })
    @Operation(summary = "Export the current search as CSV or JSON Lines (A3)")
    public Response export(@QueryParam("lang") String lang, @QueryParam("format") String format) {
        return page(lang, "records", p -> {
            ConsoleForm form = new ConsoleForm(uri.getQueryParameters(), p);
            AuditQuery.Criteria criteria = criteria(form, null);
            if (!"csv".equals(format) && !"jsonl".equals(format)) {
                form.errors.add(p.text("error.format"));
            }
            if (!form.ok()) {
                requireDpo(p);
                TemplateInstance view = records.data("p", p).data("searched", false).data("errors", form.errors)
                        .data("rows", List.of());
                for (String field : SEARCH_FIELDS) {
                    view.data(field, form.raw(field));
                }
                return status(400, view);
            }
            boolean csv = "csv".equals(format);
            AuditQuery.Export export = auditQuery.export(callerContext.get(), criteria,
                    csv ? AuditQuery.Format.CSV : AuditQuery.Format.JSON_LINES);
            StreamingOutput body = export::writeTo;
            return Response.ok(body, csv ? CSV + ";charset=UTF-8" : JSON_LINES)
                    .header("Content-Disposition", "attachment; filename=\"audit-records." + (csv ? "csv" : "jsonl") + "\"")
                    .build();
        });
    }

    /** A2, A3: a record's inclusion proof; the same AuditLogAccess.inclusion as GET /audit-log/proofs/inclusion. */
    @GET
    @Path("/records/{leafIndex}/proof")
    @Operation(summary = "The inclusion proof of one of the organisation's records (A2)")
    public Response proof(@QueryParam("lang") String lang, @PathParam("leafIndex") String leafIndex) {
        return page(lang, "records", p -> {
            if (!leafIndex.matches("\\d{1,18}")) {
                requireDpo(p);
                return status(400, error.data("p", p).data("title", p.text("error_400_title"))
                        .data("message", p.text("error.leaf")));
            }
            AuditLogAccess.InclusionProof found;
            try {
                found = logAccess.inclusion(callerContext.get(), Long.parseLong(leafIndex), null);
            } catch (ProblemException e) {
                if (e.problem().status() == 400) {
                    // Newer than the latest signed checkpoint: the proof exists once the next one is signed.
                    throw e.answeredWith(status(400, error.data("p", p).data("title", p.text("error_400_title"))
                            .data("message", p.text("proof_not_yet"))));
                }
                throw e;
            }
            return ok(proof.data("p", p).data("proof", found).data("record", found.record())
                    .data("hashes", found.hashes()).data("checkpoint", found.checkpoint()));
        });
    }

    /** T4: the per-pupil access report (the page the parents receive); the same AccessReport as the API (audit.report). */
    @GET
    @Path("/pupils/{pupilId}/report")
    @Operation(summary = "Preview the per-pupil access report (T4)")
    public Response report(@QueryParam("lang") String lang, @PathParam("pupilId") String pupilId,
            @QueryParam("addressee") AccessReport.Addressee addressee) {
        return page(lang, "records", p -> {
            if (pupilId.isBlank() || pupilId.length() > 64) {
                requireDpo(p);
                return status(400, error.data("p", p).data("title", p.text("error_400_title"))
                        .data("message", p.format("error.too_long", p.text("field.pupilId"), 64)));
            }
            // Exactly the page the parents receive (the API's text/html representation), with a way back.
            Locale locale = Locale.forLanguageTag(p.lang());
            AccessReport.Report made = accessReport.of(callerContext.get(), pupilId, locale, addressee);
            return ok(report.data("report", made).data("msg", AccessReport.texts(locale)).data("lang", p.lang())
                    .data("backHref", "/console/records" + p.query(List.<String[]>of(new String[] { "pupilId", pupilId })))
                    .data("backText", p.text("back_records")));
        });
    }

    /** A3: unusual access in a period; the same UnusualAccess.find as GET /audit-records/unusual (audit.unusual). */
    @GET
    @Path("/unusual")
    @Operation(summary = "Unusual access in a period (A3)")
    public Response unusual(@QueryParam("lang") String lang) {
        return page(lang, "unusual", p -> {
            ConsoleForm form = new ConsoleForm(uri.getQueryParameters(), p);
            LocalDate from = form.date("from");
            LocalDate to = form.date("to");
            OffsetDateTime[] period = form.period(from, to, zone);
            if (form.ok() && period[0] != null && period[1] != null && ChronoUnit.DAYS.between(from, to) + 1 > 92) {
                form.errors.add(p.format("error.period_too_long", 92));
            }
            TemplateInstance view = unusual.data("p", p).data("from", form.raw("from")).data("to", form.raw("to"));
            if (!form.ok()) {
                requireDpo(p);
                return status(400, view.data("errors", form.errors).data("rows", List.of()).data("shown", false));
            }
            List<UnusualAccess.Flag> flags = unusualAccess.find(callerContext.get(), instant(period[0]), instant(period[1]));
            List<FlagRow> rows = new ArrayList<>();
            for (UnusualAccess.Flag f : flags) {
                rows.add(new FlagRow(f.flag(), p.text("flag_" + f.flag()), f.actor(), f.role(), f.organisation(),
                        time(OffsetDateTime.parse(f.from())), time(OffsetDateTime.parse(f.to())), f.count(), f.threshold()));
            }
            return ok(view.data("errors", List.of()).data("rows", rows).data("shown", true));
        });
    }

    /**
     * A3: the urgent-danger review: the records on the legal basis vital-interest (disclosures without
     * consent); the same AuditQuery.search as GET /audit-records?legalBasis=vital-interest.
     */
    @GET
    @Path("/urgent-danger")
    @Operation(summary = "Review what was disclosed under urgent danger (A3)")
    public Response urgentDanger(@QueryParam("lang") String lang) {
        return page(lang, "urgent", p -> {
            ConsoleForm form = new ConsoleForm(uri.getQueryParameters(), p);
            LocalDate from = form.date("from");
            LocalDate to = form.date("to");
            OffsetDateTime[] period = form.period(from, to, zone);
            int page = form.page("page");
            TemplateInstance view = urgent.data("p", p).data("from", form.raw("from")).data("to", form.raw("to"));
            if (!form.ok()) {
                requireDpo(p);
                return status(400, view.data("errors", form.errors).data("rows", List.of()).data("shown", false));
            }
            AuditQuery.Criteria criteria = new AuditQuery.Criteria(null, null, null, null, null, null,
                    LegalBasis.VITAL_INTEREST, period[0], period[1]);
            List<AuditRecordView> found = auditQuery.search(callerContext.get(), criteria, page, PAGE_SIZE);
            List<String[]> params = List.of(new String[] { "from", form.value("from") }, new String[] { "to", form.value("to") });
            return ok(view.data("errors", List.of()).data("rows", rows(found, p)).data("shown", true)
                    .data("pageNumber", page + 1)
                    .data("prevHref", page > 0 ? "/console/urgent-danger" + p.query(with(params, "page", String.valueOf(page - 1))) : null)
                    .data("nextHref", found.size() == PAGE_SIZE
                            ? "/console/urgent-danger" + p.query(with(params, "page", String.valueOf(page + 1))) : null));
        });
    }

    /** A4: the registration statistics; the same RegistrationStatistics as GET /audit-statistics/registrations. */
    @GET
    @Path("/statistics")
    @Operation(summary = "Registration statistics per month (A4)")
    public Response statistics(@QueryParam("lang") String lang) {
        return page(lang, "statistics", p -> {
            ConsoleForm form = new ConsoleForm(uri.getQueryParameters(), p);
            YearMonth from = form.month("from");
            YearMonth to = form.month("to");
            if (from != null && to != null && from.isAfter(to)) {
                form.errors.add(p.text("error.period"));
            } else if (from != null && to != null && ChronoUnit.MONTHS.between(from, to) + 1 > 60) {
                form.errors.add(p.format("error.months_too_long", 60));
            }
            TemplateInstance view = statisticsPage.data("p", p).data("from", form.raw("from")).data("to", form.raw("to"))
                    .data("smallest", SMALLEST_SHOWN);
            if (!form.ok()) {
                requireDpo(p);
                return status(400, view.data("errors", form.errors).data("rows", List.of()).data("shown", false)
                        .data("chartHeight", 0));
            }
            List<RegistrationStatistics.Row> cells = statistics.registrations(callerContext.get(), from, to);
            long max = cells.stream().filter(c -> !c.suppressed()).mapToLong(RegistrationStatistics.Row::count).max().orElse(1);
            List<StatisticsRow> rows = new ArrayList<>();
            int y = 8;
            for (RegistrationStatistics.Row c : cells) {
                int width = c.suppressed() ? 0 : (int) Math.max(2, Math.round(300.0 * c.count() / Math.max(1, max)));
                rows.add(new StatisticsRow(c.month(), c.school(), p.text("recipient_" + c.recipientType()),
                        c.suppressed() ? "< " + SMALLEST_SHOWN : String.valueOf(c.count()), c.suppressed(), y, width, y + 17, 238 + width));
                y += 32;
            }
            return ok(view.data("errors", List.of()).data("rows", rows).data("shown", true).data("chartHeight", y + 8));
        });
    }

    /** A2: the log's state; the same AuditLogAccess.state as GET /audit-log/state (audit.state.read). */
    @GET
    @Path("/log")
    @Operation(summary = "The audit log's state (A2)")
    public Response log(@QueryParam("lang") String lang) {
        return page(lang, "log", p -> ok(logView(p, null)));
    }

    /** A2: verify the log; the same AuditLogAccess.verify as POST /audit-log/verification (audit.verify). */
    @POST
    @Path("/log/verification")
    @Operation(summary = "Verify the audit log (A2); a form post from the console's own pages only")
    public Response verify(@QueryParam("lang") String lang, @FormParam("lang") String formLang) {
        return page(formLang != null ? formLang : lang, "log", p -> {
            Caller caller = callerContext.get();
            if (!sameOrigin()) {
                throw new Refused(caller, new Access("audit.verify", caller.organisationId(), null, "audit-log", null,
                        "accountability", LegalBasis.ACCOUNTABILITY), "a console form post from another origin",
                        ProblemException.forbidden("cross-origin", "The form was not sent from the console."));
            }
            TreeVerifier.Report result = logAccess.verify(caller, null);
            String text = result.consistent() ? p.format("verify_ok", result.records())
                    : p.format("verify_failed", result.summary());
            return ok(logView(p, text).data("verifiedOk", result.consistent()));
        });
    }

    /**
     * A GET of the verification's address (a browser that signed in again after its session ended
     * comes back with a GET, the form's POST being lost): to the log's page, where the DPO verifies.
     */
    @GET
    @Path("/log/verification")
    public Response verificationPage(@QueryParam("lang") String lang) {
        return Response.seeOther(URI.create("/console/log" + ("en".equals(lang) ? "?lang=en" : ""))).build();
    }

    /** A2: the latest checkpoint with its cosignatures, to keep; the same as GET /audit-log/checkpoint (audit.checkpoint.read). */
    @GET
    @Path("/log/checkpoint")
    @Produces({ MediaType.TEXT_HTML + ";charset=UTF-8", MediaType.TEXT_PLAIN })
    @Operation(summary = "Download the latest cosigned checkpoint")
    public Response checkpoint(@QueryParam("lang") String lang) {
        return page(lang, "log", p -> Response.ok(witnesses.cosigned(logAccess.latestCheckpoint(callerContext.get())),
                MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"checkpoint.txt\"").build());
    }

    /** A2: the key that verifies the checkpoints; the same as GET /audit-log/verifier-key. */
    @GET
    @Path("/log/verifier-key")
    @Produces({ MediaType.TEXT_HTML + ";charset=UTF-8", MediaType.TEXT_PLAIN })
    @Operation(summary = "Download the log's verifier key")
    public Response verifierKey(@QueryParam("lang") String lang) {
        return page(lang, "log", p -> {
            requireDpo(p);
            return Response.ok(checkpoints.verifierKey() + "\n", MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .header("Content-Disposition", "attachment; filename=\"verifier-key.txt\"").build();
        });
    }

    // ---------------------------------------------------------------------------------------------

    private TemplateInstance logView(ConsolePage p, String verification) {
        AuditLogAccess.State state = logAccess.state(callerContext.get());
        TemplateInstance view = log.data("p", p).data("verification", verification).data("verifiedOk", false)
                .data("treeSize", state.treeSize()).data("quorum", state.witnessQuorum())
                .data("witnessedSize", state.witnessedSize() == null ? p.text("none") : state.witnessedSize().toString())
                .data("appendingStopped", state.appendingStopped());
        String note = state.checkpoint();
        view.data("checkpoint", note);
        if (note != null) {
            String[] lines = note.split("\n");
            view.data("checkpointOrigin", lines.length > 0 ? lines[0] : "")
                    .data("checkpointSize", lines.length > 1 ? lines[1] : "")
                    .data("checkpointRoot", lines.length > 2 ? lines[2] : "");
            List<String> signers = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("\u2014 ")) {
                    String[] parts = line.split(" ");
                    if (parts.length > 1) {
                        signers.add(parts[1]);
                    }
                }
            }
            view.data("signers", signers);
            view.data("checkpointTime", checkpoints.latest().map(c -> time(c.signedAt())).orElse(""));
        } else {
            view.data("signers", List.of()).data("checkpointTime", "");
        }
        List<WitnessRow> witnessRows = new ArrayList<>();
        for (Witnesses.WitnessState w : state.witnesses() == null ? List.<Witnesses.WitnessState>of() : state.witnesses()) {
            witnessRows.add(new WitnessRow(w.name(), w.url(),
                    w.largestCosignedSize() == null ? p.text("none") : w.largestCosignedSize().toString(),
                    w.cosignedAt() == null ? "" : time(w.cosignedAt())));
        }
        List<AlarmRow> alarms = new ArrayList<>();
        for (AuditAlarms.Alarm a : state.alarms() == null ? List.<AuditAlarms.Alarm>of() : state.alarms()) {
            alarms.add(new AlarmRow(a.kind().name(), a.detail(), a.raisedAt() == null ? "" : time(a.raisedAt())));
        }
        view.data("witnesses", witnessRows).data("alarms", alarms);
        if (state.lastVerification() != null) {
            var run = state.lastVerification();
            view.data("lastVerification", p.format(run.consistent() ? "last_verification_ok" : "last_verification_failed",
                    time(run.at()), run.from(), run.to(), run.summary()));
        } else {
            view.data("lastVerification", p.text("last_verification_none"));
        }
        return view;
    }

    private AuditQuery.Criteria criteria(ConsoleForm form, String legalBasis) {
        String pupilId = form.text("pupilId", 64);
        String person = form.text("person", 128);
        String action = form.action("action");
        String outcome = form.outcome("outcome");
        LocalDate from = form.date("from");
        LocalDate to = form.date("to");
        OffsetDateTime[] period = form.period(from, to, zone);
        return new AuditQuery.Criteria(pupilId, person, null, action, outcome, null, legalBasis, period[0], period[1]);
    }

    private static List<String[]> searchParameters(ConsoleForm form) {
        List<String[]> params = new ArrayList<>();
        for (String field : SEARCH_FIELDS) {
            String value = form.value(field);
            if (value != null && !("outcome".equals(field) && "all".equals(value))) {
                params.add(new String[] { field, value });
            }
        }
        return params;
    }

    private static List<String[]> with(List<String[]> params, String name, String value) {
        List<String[]> out = new ArrayList<>(params);
        out.add(new String[] { name, value });
        return out;
    }

    /** The purpose in the page's language, with the trail's own words beside it when they differ (what one searches by). */
    private static String purpose(String recorded, ConsolePage p) {
        String words = AccessReport.purposeInWords(recorded, Locale.forLanguageTag(p.lang()));
        return words.equals(recorded) ? recorded : words + " (" + recorded + ")";
    }

    private List<RecordRow> rows(List<AuditRecordView> found, ConsolePage p) {
        List<RecordRow> rows = new ArrayList<>();
        for (AuditRecordView v : found) {
            JsonNode r = v.record();
            JsonNode actor = r.path("actor");
            String resource = text(r, "resourceType") + (text(r, "resourceId").isEmpty() ? "" : "/" + text(r, "resourceId"));
            String pupil = text(r, "pupilPseudonym");
            boolean refused = "REFUSED".equals(text(r, "outcome"));
            String basis = text(r, "legalBasis");
            String when = text(r, "occurredAt");
            rows.add(new RecordRow(v.leafIndex(), when.isEmpty() ? "" : time(OffsetDateTime.parse(when)),
                    text(actor, "username"), text(actor, "role"), text(actor, "organisationId"), text(r, "action"), resource,
                    pupil.length() > 12 ? pupil.substring(0, 12) + "\u2026" : pupil, purpose(text(r, "purpose"), p),
                    p.m().getOrDefault("basis_" + basis, basis) + (basis.isEmpty() ? "" : " (" + basis + ")"),
                    p.text(refused ? "outcome_refused" : "outcome_granted"), refused, text(r, "reason"),
                    "/console/records/" + v.leafIndex() + "/proof" + p.q()));
        }
        return rows;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private String time(OffsetDateTime t) {
        return t == null ? "" : t.atZoneSameInstant(zone).format(TIME);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * A console form's POST must come from the console's own pages: its Origin (or, without one, its
     * Referer; the pages ask for same-origin referrers) names this service's own host and port.
     */
    private boolean sameOrigin() {
        String origin = headers.getHeaderString("Origin");
        String source = origin != null && !"null".equals(origin) ? origin : headers.getHeaderString("Referer");
        if (source == null) {
            return false;
        }
        try {
            String authority = URI.create(source).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(uri.getBaseUri().getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A3: only the DPO uses the console; anyone else is refused, and the refusal is in the trail (A1). */
    private void requireDpo(ConsolePage p) {
        Caller caller = callerContext.get();
        dpoOnly.require(caller, new Access("audit.console", caller.organisationId(), null, "audit-trail", null,
                "accountability", LegalBasis.ACCOUNTABILITY), "uses the console");
    }

    /**
     * A page for the signed-in caller. A refusal or bad request from a bean is answered with an HTML
     * page with its status: thrown again with that page, so that the problem mappers record a refusal
     * as they record every other (A1).
     */
    private Response page(String lang, String section, Function<ConsolePage, Response> body) {
        Caller caller = callerContext.get();
        Object claim = token.getClaim("name");
        String name = claim instanceof jakarta.json.JsonString json ? json.getString() : claim instanceof String text ? text : null;
        ConsolePage p = ConsolePage.of(lang, section, caller, name, uri.getPath(),
                uri.getRequestUri().getRawQuery());
        try {
            return body.apply(p);
        } catch (ProblemException e) {
            if (e.answer() != null) {
                throw e;
            }
            throw e.answeredWith(errorPage(p, e.problem()));
        }
    }

    private Response errorPage(ConsolePage p, Problem problem) {
        int status = problem.status();
        String kind = switch (status) {
            case 400, 403, 404, 503 -> String.valueOf(status);
            default -> "500";
        };
        String message = status == 400 ? p.format("error_400_text", problem.detail()) : p.text("error_" + kind + "_text");
        return status(status, error.data("p", p).data("title", p.text("error_" + kind + "_title")).data("message", message));
    }

    private static Response ok(TemplateInstance view) {
        return status(200, view);
    }

    private static Response status(int status, TemplateInstance view) {
        return Response.status(status).entity(view.render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
