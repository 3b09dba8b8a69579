using System.Diagnostics;
using Npgsql;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>What the disaster-recovery drill measured and found.</summary>
internal sealed record DrillResult(
    long EventsInStore,
    int Acknowledged,
    TimeSpan BaseBackup,
    TimeSpan RecoveryPoint,
    int AcknowledgedLost,
    TimeSpan? OldestLostAcknowledgedBeforeLoss,
    TimeSpan RecoveryTime,
    int CheckedBeforeTarget,
    int MissingBeforeTarget,
    int CheckedAfterTarget,
    int PresentAfterTarget,
    TimeSpan TargetRecoveryTime)
{
    public override string ToString() =>
        $"{EventsInStore:N0} events in the store, {Acknowledged} checkouts acknowledged; base backup {BaseBackup.TotalSeconds:0.0} s; " +
        $"disk lost, restored to the end of the archive: RPO {RecoveryPoint.TotalSeconds:0.0} s ({AcknowledgedLost} acknowledged checkouts lost" +
        (OldestLostAcknowledgedBeforeLoss is { } oldest ? $", the oldest acknowledged {oldest.TotalSeconds:0.0} s before the loss" : "") +
        $"), RTO {RecoveryTime.TotalSeconds:0.0} s; restored to the target: {MissingBeforeTarget} of {CheckedBeforeTarget} acknowledged before it missing, " +
        $"{PresentAfterTarget} of {CheckedAfterTarget} sent after it present, serving again {TargetRecoveryTime.TotalSeconds:0.0} s after the restore began";
}

/// <summary>
/// The disaster-recovery drill on a private PostgreSQL with WAL archiving and two silo processes: checkout load;
/// a base backup during it; a target time noted; the data folder destroyed; a restore to the end of the archived
/// WAL and the silos started again (RPO: acknowledged work lost; RTO: from the loss until a checkout is
/// acknowledged again); then a point-in-time restore to the target, audited against what clients were told.
/// </summary>
internal static class RecoveryDrill
{
    /// <summary>deploy/services.sh's archive_timeout: the longest a committed transaction waits to be archived under load.</summary>
    public static readonly TimeSpan ArchiveTimeout = TimeSpan.FromSeconds(15);

    public static async Task<DrillResult> RunAsync(int historyEvents, Action<string> progress)
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var cluster = await ProcessCluster.StartAsync(2, new Dictionary<string, string> { ["Postgres__ConnectionString"] = postgres.ConnectionString });
        await SeedHistoryAsync(postgres.ConnectionString, historyEvents);
        progress($"{historyEvents:N0} events of history written");
        await using var load = await CheckoutLoad.CreateAsync(cluster);

        load.Start();
        await load.WaitForAcknowledgedAsync(50, TimeSpan.FromMinutes(1));
        var backupWatch = Stopwatch.StartNew();
        await postgres.BackupAsync();
        var baseBackup = backupWatch.Elapsed;
        progress($"base backup taken in {baseBackup.TotalSeconds:0.0} s under load");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var target = DateTimeOffset.UtcNow;
        // Long enough past the target that the WAL holding it has been archived whatever the segment's fill.
        await Task.Delay(ArchiveTimeout * 2 + TimeSpan.FromSeconds(5));
        var eventsInStore = await CountEventsAsync(postgres.ConnectionString);

        await postgres.LoseDataFolderAsync();
        var lostAt = DateTimeOffset.UtcNow;
        var lossWatch = Stopwatch.StartNew();
        foreach (var silo in cluster.Silos)
        {
            silo.Kill(); // the operator stops the silos while the database is restored
        }
        await load.StopAsync();
        var acknowledged = load.Acknowledged.ToList();
        progress($"data folder destroyed after {acknowledged.Count} acknowledged checkouts; restoring to the end of the archive");

        await postgres.RestoreAsync();
        await Task.WhenAll(cluster.Silos.Select(silo => silo.StartAgainAsync()));
        await load.WaitUntilServingAsync(TimeSpan.FromMinutes(2));
        var recoveryTime = lossWatch.Elapsed;
        var afterLoss = await CheckoutLoad.StoredEventsAsync(postgres.ConnectionString, acknowledged);
        var lost = acknowledged.Where(order => !HasItsEvent(afterLoss, order)).ToList();
        var latestKept = acknowledged.Except(lost).Select(order => order.AcknowledgedAt).DefaultIfEmpty(lostAt).Max();
        progress($"serving again {recoveryTime.TotalSeconds:0.0} s after the loss; {lost.Count} acknowledged checkouts lost; restoring to the target");

        foreach (var silo in cluster.Silos)
        {
            silo.Kill();
        }
        var targetWatch = Stopwatch.StartNew();
        await postgres.RestoreAsync(target);
        await Task.WhenAll(cluster.Silos.Select(silo => silo.StartAgainAsync()));
        await load.WaitUntilServingAsync(TimeSpan.FromMinutes(2));
        var targetRecoveryTime = targetWatch.Elapsed;
        var beforeTarget = acknowledged.Where(order => order.AcknowledgedAt < target).ToList();
        var afterTarget = acknowledged.Where(order => order.SentAt > target).ToList();
        var atTarget = await CheckoutLoad.StoredEventsAsync(postgres.ConnectionString, beforeTarget.Concat(afterTarget));

        return new DrillResult(
            eventsInStore,
            acknowledged.Count,
            baseBackup,
            lost.Count == 0 ? TimeSpan.Zero : lostAt - latestKept,
            lost.Count,
            lost.Count == 0 ? null : lostAt - lost.Min(order => order.AcknowledgedAt),
            recoveryTime,
            beforeTarget.Count,
            beforeTarget.Count(order => !HasItsEvent(atTarget, order)),
            afterTarget.Count,
            afterTarget.Count(order => atTarget.ContainsKey(order.OrderId)),
            targetRecoveryTime);
    }

    /// <summary>Whether the restored store holds the event of the status the order's client was told.</summary>
    private static bool HasItsEvent(Dictionary<string, HashSet<string>> stored, AcknowledgedCheckout order) =>
        stored.TryGetValue(order.OrderId, out var types) && types.Contains(order.EventType);

    /// <summary>Years of history in one statement: streams of 100 events of about 300 bytes each, as many as asked.</summary>
    private static async Task SeedHistoryAsync(string connectionString, int events)
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 600 }.ConnectionString);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload, recorded_at)
            SELECT 'drill-history-' || (n / 100), n % 100 + 1, gen_random_uuid(), 'drill.history',
                   jsonb_build_object('n', n, 'note', repeat('h', 250)), now() - interval '1 second' * ($1 - n)
            FROM generate_series(0, $1 - 1) AS n
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = events });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountEventsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
