namespace FirstViscount.Redis.Membership;

/// <summary>Lease timings of Redis membership.</summary>
public sealed class RedisMembershipOptions
{
    /// <summary>Redis connection, e.g. "127.0.0.1:16379,password=...".</summary>
    public string Configuration { get; set; } = "127.0.0.1:16379";

    /// <summary>How long a lease lasts; a silo that stops renewing is declared dead after it (default 10 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo renews its lease and refreshes its view (default 2 s).</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A silo stops serving this long before its lease could end, to absorb clock-rate drift.</summary>
    public TimeSpan FencingMargin { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (LeaseDuration <= TimeSpan.Zero || RenewInterval <= TimeSpan.Zero || FencingMargin < TimeSpan.Zero)
        {
            throw new FirstViscountException("Redis membership: LeaseDuration, RenewInterval and FencingMargin must be positive.");
        }
        if (RenewInterval * 2 + FencingMargin >= LeaseDuration)
        {
            throw new FirstViscountException($"Redis membership: LeaseDuration ({LeaseDuration}) must exceed twice RenewInterval ({RenewInterval}) plus FencingMargin ({FencingMargin}), or a single slow renewal would fence a healthy silo.");
        }
    }
}
