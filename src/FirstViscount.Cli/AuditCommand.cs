using System.CommandLine;
using FirstViscount.Analytics.ClickHouse;
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
    /// <summary>Findings printed per check (all are counted).</summary>
    private const int PrintedPerCheck = 20;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = PostgresOptions.Connection();
        var clickHouse = new ClickHouseOptions(defaultUrl: null);
        var settle = WholeNumberOption.Create("--settle-minutes",
            "leave out events younger than this: still on their way to ClickHouse and the read models", "minutes", 0, 1440,
            (int)new AuditOptions().SettleTime.TotalMinutes);
        var command = new Command("audit", "Check the data against itself now, record the run like the silos' periodic audit, and print it. " +
            "Exit code 0: consistent; 3: inconsistencies (or a check could not run); 1: PostgreSQL unreachable.")
        {
            settle, connection,
        };
        clickHouse.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(connection)!, clickHouse.Client(parsed),
            new AuditOptions { SettleTime = TimeSpan.FromMinutes(parsed.GetValue(settle)) }, output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string connection, ClickHouseClient? clickHouse, AuditOptions audit, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var postgres = NpgsqlDataSource.Create(connection);
            var report = await new ConsistencyAuditor(postgres, clickHouse, audit).RunAsync($"cli on {Environment.MachineName}", cancellationToken);
            await PrintAsync(report, output);
            return report.IsConsistent ? ExitCodes.Success : ExitCodes.Inconsistent;
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException)
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
