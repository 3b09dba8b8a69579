using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace FirstViscount.SiloHost;

/// <summary>
/// Makes a silo rejoin when Redis has lost the membership table (a Redis restarted without its data). Orleans's
/// Redis clustering then fails every membership operation and the silos loop without ever re-forming the cluster
/// (dotnet/orleans#7784). Once the silo is active, this checks every <see cref="Period"/> that the table still holds
/// its version and this silo's entry; when two checks in a row find either missing, the silo stops the way Orleans
/// stops a silo that learns it is no longer a member, and its supervisor (deploy/supervise.sh, systemd, Kubernetes)
/// starts it again: it re-creates the table and joins. Grain state and events are in PostgreSQL, so nothing is lost.
/// </summary>
internal sealed partial class RedisMembershipWatchdog(
    IConnectionMultiplexer redis,
    IOptions<RedisClusteringOptions> clustering,
    IOptions<ClusterOptions> cluster,
    ILocalSiloDetails silo,
    IFatalErrorHandler fatalErrors,
    ILogger<RedisMembershipWatchdog> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource stopping = new();

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(RedisMembershipWatchdog), ServiceLifecycleStage.Active,
        started =>
        {
            _ = WatchAsync();
            return Task.CompletedTask;
        },
        stopped =>
        {
            stopping.Cancel();
            return Task.CompletedTask;
        });

    private async Task WatchAsync()
    {
        var table = clustering.Value.CreateRedisKey(cluster.Value);
        var self = silo.SiloAddress.ToString();
        var missedChecks = 0;
        using var timer = new PeriodicTimer(Period);
        while (!stopping.IsCancellationRequested)
        {
            bool present;
            try
            {
                await timer.WaitForNextTickAsync(stopping.Token);
                var database = redis.GetDatabase();
                present = await database.HashExistsAsync(table, "Version") && await database.HashExistsAsync(table, self);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                continue; // Redis unreachable: nothing is known about the table; Orleans's own membership handles an outage
            }
            missedChecks = present ? 0 : missedChecks + 1;
            if (missedChecks == 2)
            {
                LogMembershipLost(logger, table.ToString(), self);
                fatalErrors.OnFatalException(this, $"Redis no longer holds membership table {table} or this silo's entry {self}: rejoining.", null);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1_100, Level = LogLevel.Critical,
        Message = "Redis lost membership table {Table} (or this silo's entry {Silo}); this silo stops so that its supervisor starts it again and it rejoins")]
    private static partial void LogMembershipLost(ILogger logger, string table, string silo);
}
