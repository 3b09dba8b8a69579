using FirstViscount.Commerce;
using FirstViscount.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FirstViscount.SiloHost;

/// <summary>
/// Traces (HTTP requests, grain calls, SQL) and metrics (requests, grain calls, activations, checkout outcomes)
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
            .AddSource(RuntimeTelemetry.Name, "Npgsql", "Microsoft.AspNetCore")
            .AddOtlpExporter(options => options.Endpoint = new Uri(endpoint))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(RuntimeTelemetry.Name, CommerceTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Npgsql")
            .AddOtlpExporter(options => options.Endpoint = new Uri(endpoint))
            .Build();
        // Owned by the container: flushed and disposed when the host stops.
        builder.Services.AddSingleton(tracing);
        builder.Services.AddSingleton(metrics);
    }
}
