using System.Globalization;
using FirstViscount.Audit;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>
/// `audit [--connection CS] [--clickhouse URL] [--clickhouse-database NAME] [--clickhouse-ca FILE] [--settle-minutes N]`:
/// runs the consistency audit now, records it like the silos' periodic one, and prints it. Exit code 0: consistent;
/// 3: inconsistencies found (or a check could not run); 1: PostgreSQL unreachable; 2: bad options.
/// </summary>
internal static class AuditCommand
{
    private const string Usage = $"usage: audit {ServerOptions.Usage} [--settle-minutes <0..1440>]";

    /// <summary>Findings printed per check (all are counted).</summary>
    private const int PrintedPerCheck = 20;

    public static async Task<int> RunAsync(IReadOnlyList<string> options, TextWriter output, TextWriter error)
    {
        var servers = new ServerOptions(defaultClickHouse: null);
        var audit = new AuditOptions();
        for (var i = 0; i < options.Count; i++)
        {
            var value = i + 1 < options.Count ? options[i + 1] : null;
            switch (options[i])
            {
                case var option when servers.TryTake(option, value): break;
                case "--settle-minutes" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes <= 1440:
                    audit.SettleTime = TimeSpan.FromMinutes(minutes);
                    break;
                default:
                    await error.WriteLineAsync($"error: unexpected '{options[i]}'{(value is null ? "" : $" '{value}'")}. {Usage}");
                    return ExitCodes.Usage;
            }
            i++;
        }
        try
        {
            await using var postgres = NpgsqlDataSource.Create(servers.Postgres);
            var report = await new ConsistencyAuditor(postgres, servers.ClickHouse(), audit).RunAsync($"cli on {Environment.MachineName}");
            await PrintAsync(report, output);
            return report.IsConsistent ? ExitCodes.Success : ExitCodes.Inconsistent;
        }
        catch (Exception failure) when (failure is NpgsqlException or ArgumentException or IOException)
        {
            await error.WriteLineAsync($"error: cannot audit: {failure.Message} (is PostgreSQL running? deploy/services.sh up)");
            return ExitCodes.Failure;
        }
    }

    private static async Task PrintAsync(AuditReport report, TextWriter output)
    {
        await output.WriteLineAsync($"audit {report.RunId}: {report.EventsAudited} events in {report.Duration.TotalSeconds:0.0} s, " +
            (report.IsConsistent ? "consistent" : $"{report.FindingCount} inconsistencies"));
        foreach (var check in report.Checks)
        {
            await output.WriteLineAsync($"  {check.Check,-18} {check.Status}{(check.Findings > 0 ? $" ({check.Findings})" : "")}{(check.Note is null ? "" : $": {check.Note}")} [{check.Seconds:0.0} s]");
            foreach (var finding in report.Findings.Where(finding => finding.Check == check.Check).Take(PrintedPerCheck))
            {
                await output.WriteLineAsync($"    {finding.Subject}: {finding.Detail}");
            }
        }
        foreach (var run in report.Retention)
        {
            await output.WriteLineAsync($"  retention {run.Job}: last ran {run.RanAt:u}, removed {run.Removed} ({run.Detail})");
        }
        if (report.Retention.Count == 0)
        {
            await output.WriteLineAsync("  retention: no retention job has run yet");
        }
    }
}
