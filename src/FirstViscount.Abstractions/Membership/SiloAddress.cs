namespace FirstViscount.Membership;

/// <summary>
/// A silo's identity: where it listens and its generation (start time in ticks). A restarted process gets a
/// new generation and so is a new silo; nothing of its previous life is resumed.
/// </summary>
public sealed record SiloAddress(string Endpoint, long Generation)
{
    /// <summary>A process-independent hash, used by rendezvous placement. Derived from the other members.</summary>
    public ulong StableHash { get; } = StableHashing.Hash($"{Endpoint}@{Generation}");

    public override string ToString() => $"{Endpoint}@{Generation}";

    public static SiloAddress Parse(string value)
    {
        var at = value.LastIndexOf('@');
        return at > 0 && long.TryParse(value.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            ? new SiloAddress(value[..at], generation)
            : throw new FormatException($"'{value}' is not a silo address (endpoint@generation).");
    }
}
