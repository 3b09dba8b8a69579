namespace FirstViscount;

/// <summary>
/// The identity of a grain: its grain type and its key. Grains with the same id are the same grain,
/// whichever silo hosts them. <see cref="StableHash"/> is identical in every process, so placement
/// can be computed anywhere.
/// </summary>
public sealed class GrainId : IEquatable<GrainId>
{
    public GrainId(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key);
        Type = type;
        Key = key;
        StableHash = StableHashing.Combine(StableHashing.Hash(type), StableHashing.Hash(key));
    }

    /// <summary>The grain type name (the implementation class's name, or its <see cref="GrainTypeAttribute"/>).</summary>
    public string Type { get; }

    public string Key { get; }

    /// <summary>A 64-bit hash of type and key that does not vary between processes or runs.</summary>
    public ulong StableHash { get; }

    public bool Equals(GrainId? other) =>
        other is not null && StableHash == other.StableHash && Key == other.Key && Type == other.Type;

    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    public override int GetHashCode() => (int)StableHash ^ (int)(StableHash >> 32);

    public override string ToString() => $"{Type}/{Key}";
}
