package be.needtoknow.common.tracing;

import java.util.Collection;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.opentelemetry.runtime.config.runtime.exporter.OtlpExporterConfig;

/**
 * The trace exporter is off unless a deployment names an OTLP endpoint (docs/operations.md, "Tracing"): spans
 * are still made and the trace context still travels (HTTP, the outbox, ce_traceparent, the
 * correlation id), they are just not sent anywhere. Quarkus' OTLP exporter otherwise sends to its
 * default endpoint, http://localhost:4317/, and logs an error at every attempt when nothing listens
 * there. Quarkus installs its OTLP exporter only when no other SpanExporter bean exists, so this
 * exporter, which drops every span, stands in for it as long as the endpoint is Quarkus' default
 * (QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT, not set);
 * once one is set, this bean is not looked up and Quarkus' own exporter sends there. (A collector
 * on the same machine is named http://localhost:4317, without the final slash of Quarkus' default.)
 */
@Singleton
@Unremovable
@LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = OtlpExporterConfig.DEFAULT_GRPC_BASE_URI,
        lookupIfMissing = true)
public class NoExportByDefault implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
