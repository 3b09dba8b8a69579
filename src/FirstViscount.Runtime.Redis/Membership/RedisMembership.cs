using System.Collections.Immutable;
using System.Diagnostics;
using FirstViscount.Membership;
using FirstViscount.Redis.Client;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Redis.Membership;

/// <summary>
/// Cluster membership as leases in Redis. A silo renews every <see cref="RedisMembershipOptions.RenewInterval"/>
/// and serves only until its lease could end (fencing, on the monotonic clock, so a paused process finds
/// itself fenced the moment it resumes). Views come with each renewal, on pub/sub announcements, and on request.
/// </summary>
public sealed partial class RedisMembership : IClusterMembership, IAsyncDisposable
{
    private readonly RedisClient redis;
    private readonly RedisSubscriber subscriber;
    private readonly RedisMembershipOptions options;
    private readonly ILogger logger;
    private readonly RedisArgument[] keys;
    private readonly string channel;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock viewGate = new();
    private ClusterView view = ClusterView.Empty;
    private IReadOnlyDictionary<SiloAddress, DateTimeOffset> leases = ImmutableDictionary<SiloAddress, DateTimeOffset>.Empty;
    private SiloAddress? self;
    private long servingUntil;
    private volatile bool lost;
    private Task? loop;

    public RedisMembership(string clusterId, RedisMembershipOptions options, ILogger<RedisMembership> logger)
    {
        options.Validate();
        this.options = options;
        this.logger = logger;
        var connection = RedisConnectionOptions.Parse(options.Configuration);
        redis = new RedisClient(connection);
        subscriber = new RedisSubscriber(connection);
        channel = $"fv:{clusterId}:membership:changed";
        keys = [$"fv:{clusterId}:membership:silos", $"fv:{clusterId}:membership:version", channel];
    }

    public ClusterView CurrentView => Volatile.Read(ref view);

    /// <summary>Lease expiry per active silo, as of the latest view.</summary>
    public IReadOnlyDictionary<SiloAddress, DateTimeOffset> Leases => Volatile.Read(ref leases);

    public event Action<ClusterView>? ViewChanged;

    public event Action? MembershipLost;

    public bool IsServing => self is not null && !lost && Stopwatch.GetTimestamp() < Volatile.Read(ref servingUntil);

    public async Task JoinAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        this.self = self;
        lost = false;
        await SubscribeAsync();
        var sentAt = Stopwatch.GetTimestamp();
        var reply = await RunAsync("join");
        ExtendLease(sentAt);
        Apply(reply);
        LogJoined(logger, self, reply.Version);
        loop ??= Task.Run(() => RenewLoopAsync(stopping.Token), CancellationToken.None);
    }

    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (self is not null)
        {
            Volatile.Write(ref servingUntil, 0);
            Apply(await RunAsync("leave"));
            LogLeft(logger, self);
        }
    }

    public async Task ObserveAsync(CancellationToken cancellationToken)
    {
        await SubscribeAsync();
        await RefreshAsync(cancellationToken);
        loop ??= Task.Run(() => RenewLoopAsync(stopping.Token), CancellationToken.None);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            Apply(await RunAsync("view"));
        }
        catch (FirstViscountException error) when (error is RedisConnectionException or RedisTimeoutException)
        {
            LogRefreshFailed(logger, error.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        await subscriber.DisposeAsync();
        await redis.DisposeAsync();
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.RenewInterval);
        while (await WaitAsync(timer, cancellationToken))
        {
            try
            {
                if (self is null)
                {
                    Apply(await RunAsync("view"));
                    continue;
                }
                var fencedBefore = !IsServing;
                var sentAt = Stopwatch.GetTimestamp();
                var reply = await RunAsync("renew");
                if (reply.Gone || fencedBefore)
                {
                    // Our lease ended (or Redis forgot us): whatever we hold may already be served elsewhere.
                    lost = true;
                    Volatile.Write(ref servingUntil, 0);
                    LogLost(logger, self, reply.Gone ? "the lease was gone" : "the lease lapsed locally");
                    Apply(reply);
                    MembershipLost?.Invoke();
                    continue;
                }
                ExtendLease(sentAt);
                Apply(reply);
            }
            catch (Exception error) when (error is RedisConnectionException or RedisTimeoutException or RedisServerException)
            {
                LogRenewFailed(logger, error.Message);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<MembershipReply> RunAsync(string mode) =>
        MembershipReply.From(await redis.EvaluateAsync(MembershipScript.Script, keys,
            [mode, self?.ToString() ?? "", (long)options.LeaseDuration.TotalMilliseconds]));

    private void ExtendLease(long sentAt) =>
        Volatile.Write(ref servingUntil, sentAt + (long)((options.LeaseDuration - options.FencingMargin).TotalSeconds * Stopwatch.Frequency));

    private async Task SubscribeAsync()
    {
        await subscriber.SubscribeAsync(channel, _ => { var refresh = RefreshAsync(CancellationToken.None); });
    }

    private void Apply(MembershipReply reply)
    {
        ClusterView next;
        lock (viewGate)
        {
            if (reply.Version < view.Version && view.Version != 0)
            {
                return;
            }
            var active = reply.Active.Select(entry => (Silo: SiloAddress.Parse(entry.Silo), entry.ExpiresAtMs)).ToList();
            // Renewals move lease expiries without changing the view's version: the leases follow every reply.
            Volatile.Write(ref leases, active.ToDictionary(a => a.Silo, a => DateTimeOffset.FromUnixTimeMilliseconds(a.ExpiresAtMs)));
            if (reply.Version == view.Version && view.Version != 0)
            {
                return;
            }
            next = new ClusterView(reply.Version, [.. active.Select(a => a.Silo).OrderBy(s => s.ToString(), StringComparer.Ordinal)]);
            Volatile.Write(ref view, next);
        }
        LogView(logger, next);
        ViewChanged?.Invoke(next);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Joined the cluster as {Silo} (membership version {Version})")]
    private static partial void LogJoined(ILogger logger, SiloAddress silo, long version);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Left the cluster: {Silo}")]
    private static partial void LogLeft(ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Membership of {Silo} lost: {Reason}; dropping activations and rejoining as a new generation")]
    private static partial void LogLost(ILogger logger, SiloAddress silo, string reason);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Lease renewal failed: {Error}")]
    private static partial void LogRenewFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "Membership view refresh failed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Membership view {View}")]
    private static partial void LogView(ILogger logger, ClusterView view);
}
