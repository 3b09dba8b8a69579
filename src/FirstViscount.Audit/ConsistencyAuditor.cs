using System.Data;
using System.Diagnostics;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Audit.Checks;
using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Audit;

/// <summary>
/// Checks the shop's data against itself (DESIGN.md's invariants): each SKU's state against the fold of its ledger,
/// orders against payments and reservations, ClickHouse and its hourly roll-up against the log up to the sink's
/// checkpoint. Reads only; <see cref="RunAsync"/> also records the run (<see cref="AuditLog"/>) and its metrics.
/// </summary>
public sealed class ConsistencyAuditor(NpgsqlDataSource postgres, ClickHouseClient? clickHouse, AuditOptions options, TimeProvider? clock = null)
{
    private static readonly IAuditCheck[] Checks =
        [new InventoryLedgerCheck(), new OrderPaymentCheck(), new ReservationCheck(), new ClickHouseTotalsCheck(), new SalesRollupCheck()];

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>Audits, records the run and updates the metrics.</summary>
    public async Task<AuditReport> RunAsync(string ranBy, CancellationToken cancellationToken = default)
    {
        var report = await AuditAsync(ranBy, cancellationToken);
        await AuditLog.RecordAsync(postgres, report, cancellationToken);
        AuditMetrics.Record(report);
        return report;
    }

    /// <summary>Audits without recording anything.</summary>
    public async Task<AuditReport> AuditAsync(string ranBy, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        // One snapshot for every PostgreSQL read: the checks compare the same moment of the log.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var context = new AuditContext(connection, clickHouse, options, startedAt);
        var events = (await context.QueryAsync("SELECT count(*) FROM events", reader => reader.GetInt64(0), cancellationToken))[0];
        var results = new List<AuditCheckResult>();
        var findings = new List<AuditFinding>();
        foreach (var check in Checks)
        {
            if (check.SkipReason(context) is { } reason)
            {
                results.Add(new AuditCheckResult(check.Name, AuditCheckStatus.Skipped, 0, reason));
                continue;
            }
            var watch = Stopwatch.StartNew();
            try
            {
                var found = await check.RunAsync(context, cancellationToken);
                findings.AddRange(found);
                results.Add(new AuditCheckResult(check.Name, found.Count == 0 ? AuditCheckStatus.Consistent : AuditCheckStatus.Inconsistent, found.Count,
                    Seconds: watch.Elapsed.TotalSeconds));
            }
            catch (AuditSkippedException skipped)
            {
                results.Add(new AuditCheckResult(check.Name, AuditCheckStatus.Skipped, 0, skipped.Message, watch.Elapsed.TotalSeconds));
            }
            catch (ClickHouseException error)
            {
                // ClickHouse being down must not hide what the PostgreSQL checks found.
                results.Add(new AuditCheckResult(check.Name, AuditCheckStatus.Failed, 0, error.Message, watch.Elapsed.TotalSeconds));
            }
        }
        var retention = (await RetentionLog.LatestAsync(connection, cancellationToken)).Select(RetentionRunView.From).ToArray();
        await transaction.CommitAsync(cancellationToken);
        return new AuditReport(Guid.NewGuid(), startedAt, time.GetUtcNow(), ranBy, events, results, findings, retention);
    }
}
