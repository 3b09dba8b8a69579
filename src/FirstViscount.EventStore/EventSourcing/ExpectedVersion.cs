namespace FirstViscount.EventSourcing;

/// <summary>What an append expects of its stream: that it does not exist, anything, or an exact version.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long? exact) => Exact = exact;

    /// <summary>The version the stream must be at; null for <see cref="Any"/>; 0 for <see cref="NoStream"/>.</summary>
    public long? Exact { get; }

    public static ExpectedVersion NoStream { get; } = new(0);

    public static ExpectedVersion Any { get; } = new(null);

    public static ExpectedVersion At(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new ExpectedVersion(version);
    }

    public override string ToString() => Exact switch { null => "any", 0 => "no stream", var v => $"version {v}" };
}
