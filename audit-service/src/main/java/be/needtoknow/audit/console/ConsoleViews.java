package be.needtoknow.audit.console;

import java.util.List;

import io.quarkus.qute.TemplateData;

/** The rows the console's templates show, built from the query beans' answers. */
final class ConsoleViews {

    private ConsoleViews() {
    }

    /** One record of the trail: who, what, which, why, on what basis, the outcome and when; its proof's link. */
    @TemplateData
    public record RecordRow(long leafIndex, String when, String who, String role, String actorOrganisation, String action,
            String which, String pupil, String why, String basis, String outcome, boolean refused, String reason,
            String proofHref) {
    }

    /** One unusual-access flag. */
    @TemplateData
    public record FlagRow(String flag, String explanation, String who, String role, String organisation, String from,
            String to, long count, int threshold) {
    }

    /** One cell of the registration statistics, and its bar in the chart (none when suppressed). */
    @TemplateData
    public record StatisticsRow(String month, String school, String recipientType, String count, boolean suppressed,
            int y, int width, int textY, int labelX) {
    }

    /** A witness of the log, and what it cosigned. */
    @TemplateData
    public record WitnessRow(String name, String url, String largestCosignedSize, String cosignedAt) {
    }

    /** An alarm raised on the log. */
    @TemplateData
    public record AlarmRow(String kind, String detail, String raisedAt) {
    }

    /** An error message for the page. */
    @TemplateData
    public record Messages(List<String> list) {
    }
}
