using FirstViscount.Commerce;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FirstViscount.SiloHost;

/// <summary>
/// OpenTelemetry through its hosting package: traces of HTTP requests (in and out), Orleans grain calls, SQL and Redis
/// commands; metrics of the same plus the runtime and the domain's own meters. Metrics are always scraped at
/// /metrics (Prometheus text, admins only); both signals go to an OTLP collector when OpenTelemetry:Endpoint is set.
/// Logs always carry the trace and span ids.
/// </summary>
internal static class Observability
{
    /// <summary>The meters of the project (and Orleans's), exported beside the instrumentations'.</summary>
    private static readonly string[] Meters =
    [
        "Microsoft.Orleans", CommerceTelemetry.Name, FirstViscount.Commerce.Catalog.ReplicaLagMonitor.MeterName,
        FirstViscount.Analytics.Sink.ClickHouseDelivery.MeterName, FirstViscount.Audit.AuditMetrics.MeterName,
    ];

    public static void Configure(WebApplicationBuilder builder, string instance, bool hasRedis)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var endpoint = builder.Configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } configured ? configured.TrimEnd('/') : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("firstviscount-silo", serviceInstanceId: instance))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                if (hasRedis)
                {
                    tracing.AddRedisInstrumentation(); // the silo's shared IConnectionMultiplexer, from the services
                }
                if (endpoint is not null)
                {
                    tracing.AddOtlpExporter(options => Use(options, endpoint, "traces"));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddNpgsqlInstrumentation()
                    .AddMeter(Meters).AddPrometheusExporter();
                if (endpoint is not null)
                {
                    metrics.AddOtlpExporter(options => Use(options, endpoint, "metrics"));
                }
            });
    }

    /// <summary>OTLP over HTTP/protobuf (a collector's port 4318): the signal's path follows the configured base address.</summary>
    private static void Use(OpenTelemetry.Exporter.OtlpExporterOptions options, string endpoint, string signal)
    {
        options.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri($"{endpoint}/v1/{signal}");
    }
}
