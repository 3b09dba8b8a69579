using FirstViscount.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FirstViscount.SiloHost.Gateway;

public sealed record AuditRunDto(Guid RunId, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, double DurationSeconds, string RanBy, long EventsAudited,
    bool Consistent, int FindingCount, IReadOnlyList<AuditCheckResult> Checks, IReadOnlyList<AuditFinding> Findings);

/// <summary>The latest audit (null until one has run) and each retention job's last run.</summary>
public sealed record AuditDto(AuditRunDto? LastRun, IReadOnlyList<RetentionRunView> Retention);

/// <summary>Operations: the consistency auditor's latest report, for admins (docs/OPERATIONS.md).</summary>
internal static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/admin/audit", LatestAsync).RequireAuthorization(Principals.AdminPolicy)
            .WithTags("Operations").WithName("GetAudit").WithSummary("The consistency audit's latest run and the retention jobs' last runs");

    private static async Task<Ok<AuditDto>> LatestAsync(NpgsqlDataSource postgres, CancellationToken cancellationToken)
    {
        var (run, retention) = await AuditLog.LatestAsync(postgres, cancellationToken);
        return TypedResults.Ok(new AuditDto(run is null ? null : new AuditRunDto(run.RunId, run.StartedAt, run.FinishedAt, run.Duration.TotalSeconds, run.RanBy,
            run.EventsAudited, run.IsConsistent, run.FindingCount, run.Checks, run.Findings), retention));
    }
}
