using FirstViscount.Commerce;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FirstViscount.SiloHost;

/// <summary>
/// Traces (HTTP requests, Orleans grain calls, SQL) and metrics (requests, Orleans's grain calls and activations, checkout outcomes)
/// exported by OTLP when OpenTelemetry:Endpoint is set; logs always carry the trace and span ids.
/// </summary>
internal static class Observability
{
    public static void Configure(WebApplicationBuilder builder, string instance)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (builder.Configuration["OpenTelemetry:Endpoint"] is not { Length: > 0 } endpoint)
        {
            return;
        }
        var resource = ResourceBuilder.CreateDefault().AddService("firstviscount-silo", serviceInstanceId: instance);
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql", "Microsoft.AspNetCore")
            .AddOtlpExporter(options => Use(options, endpoint, "traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Microsoft.Orleans", CommerceTelemetry.Name, FirstViscount.Commerce.Catalog.ReplicaLagMonitor.MeterName, FirstViscount.Analytics.Sink.ClickHouseDelivery.MeterName,
                FirstViscount.Audit.AuditMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Npgsql")
            .AddOtlpExporter(options => Use(options, endpoint, "metrics"))
            .Build();
        builder.Services.AddHostedService(_ => new TelemetryFlush(tracing, metrics));
    }

    /// <summary>Owns the providers: what is still buffered is exported when the host stops.</summary>
    private sealed class TelemetryFlush(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracing.ForceFlush(5_000);
            metrics.ForceFlush(5_000);
            tracing.Dispose();
            metrics.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>OTLP over HTTP/protobuf (a collector's port 4318): the signal's path follows the configured base address.</summary>
    private static void Use(OpenTelemetry.Exporter.OtlpExporterOptions options, string endpoint, string signal)
    {
        options.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri($"{endpoint.TrimEnd('/')}/v1/{signal}");
    }
}
