namespace FirstViscount.Hosting;

/// <summary>Settings of a silo or cluster client. Validated when the silo is built.</summary>
public sealed class SiloOptions
{
    /// <summary>Names the cluster; silos of different clusters never talk.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>Names the service whose grain state this is; part of every storage key.</summary>
    public string ServiceId { get; set; } = "firstviscount";

    /// <summary>This silo's endpoint (host:port), or a name for in-memory transports.</summary>
    public string Endpoint { get; set; } = "silo";

    /// <summary>How long a caller waits for a grain call (default 30 s).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an activation may stay idle before collection, unless its class says otherwise.</summary>
    public TimeSpan DefaultCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often due reminders are looked for.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long OnDeactivateAsync may run before it is abandoned.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        static void Require(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                throw new FirstViscountException($"Silo setting {setting} is invalid: {rule}.");
            }
        }
        Require(!string.IsNullOrWhiteSpace(ClusterId), nameof(ClusterId), "it must not be empty");
        Require(!string.IsNullOrWhiteSpace(ServiceId), nameof(ServiceId), "it must not be empty");
        Require(!string.IsNullOrWhiteSpace(Endpoint), nameof(Endpoint), "it must not be empty");
        Require(CallTimeout > TimeSpan.Zero, nameof(CallTimeout), "it must be positive");
        Require(DefaultCollectionAge > TimeSpan.Zero, nameof(DefaultCollectionAge), "it must be positive");
        Require(CollectionQuantum > TimeSpan.Zero, nameof(CollectionQuantum), "it must be positive");
        Require(ReminderPollInterval > TimeSpan.Zero, nameof(ReminderPollInterval), "it must be positive");
        Require(DeactivationTimeout > TimeSpan.Zero, nameof(DeactivationTimeout), "it must be positive");
    }
}
