using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FirstViscount.SiloHost;

/// <summary>/health/ready as JSON: the overall status and each dependency's, with what it says (a lagging replica, a database that does not answer).</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
