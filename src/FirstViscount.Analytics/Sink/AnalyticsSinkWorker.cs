using FirstViscount.Analytics.ClickHouse;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Runs a sink in every silo, active in one at a time: the active worker holds a PostgreSQL session advisory
/// lock named after the sink. When its silo dies, its connection drops, the lock is released, and another
/// silo's worker takes over from the shared checkpoint. While ClickHouse is down it backs off and retries.
/// The active worker also runs <paramref name="housekeeping"/> (schema, retention) before its first batch and once a day.
/// </summary>
public sealed class AnalyticsSinkWorker(AnalyticsSink sink, string postgresConnectionString, TimeSpan idleDelay, TimeSpan maxBackoff,
    Func<CancellationToken, Task>? housekeeping = null, ILogger? logger = null)
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromDays(1);
    private readonly ILogger log = logger ?? NullLogger.Instance;
    private volatile bool active;

    /// <summary>True while this worker holds the sink's lock.</summary>
    public bool IsActive => active;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Unpooled: closing it must end the session, or the lock would outlive this worker in the pool.
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgresConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                while (!await TryLockAsync(connection, cancellationToken))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                active = true;
                await ServeAsync(connection, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException error)
            {
                // The lock's connection broke: another worker may hold the lock now. Start over.
                log.LogWarning(error, "Analytics sink {Sink} lost PostgreSQL; it will try to take the lock again", sink.Name);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A bug or a poisoned batch must not take the silo down: say so loudly, let go of the lock, retry.
                log.LogError(error, "Analytics sink {Sink} failed; it will start over from its checkpoint", sink.Name);
            }
            finally
            {
                active = false;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(NpgsqlConnection lockConnection, CancellationToken cancellationToken)
    {
        log.LogInformation("Analytics sink {Sink} is active in this silo", sink.Name);
        var backoff = TimeSpan.FromMilliseconds(250);
        var housekeepingDue = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using (var alive = new NpgsqlCommand("SELECT 1", lockConnection))
            {
                await alive.ExecuteScalarAsync(cancellationToken); // still holding the lock?
            }
            try
            {
                if (housekeeping is not null && sink.Clock.GetUtcNow() >= housekeepingDue)
                {
                    await housekeeping(cancellationToken);
                    housekeepingDue = sink.Clock.GetUtcNow() + HousekeepingInterval;
                }
                if (await sink.RunOnceAsync(cancellationToken) == 0)
                {
                    await Task.Delay(idleDelay, cancellationToken);
                }
                backoff = TimeSpan.FromMilliseconds(250);
            }
            catch (ClickHouseException error)
            {
                log.LogWarning("Analytics sink {Sink} waits {Backoff} for ClickHouse: {Error}", sink.Name, backoff, error.Message);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
            }
        }
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "analytics-sink:" + sink.Name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
