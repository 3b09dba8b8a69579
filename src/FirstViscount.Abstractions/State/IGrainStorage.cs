namespace FirstViscount;

/// <summary>
/// A storage provider for grain state. Every write is conditional on the expected ETag (null: no record
/// may exist yet); a mismatch throws <see cref="InconsistentStateException"/>. Clearing leaves a tombstone
/// with a new ETag, so a writer holding an ETag from before the clear still conflicts.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored record, or null if none was ever written.</summary>
    Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="payload"/> (UTF-8 JSON) and returns the new ETag.</summary>
    Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Replaces the record with a tombstone and returns its ETag.</summary>
    Task<string> ClearAsync(GrainStateKey key, string? expectedEtag, CancellationToken cancellationToken);
}

/// <summary>Where one piece of grain state lives.</summary>
public readonly record struct GrainStateKey(string ServiceId, string GrainType, string GrainKey, string StateName);

/// <summary>A stored record: its payload (null for a cleared record) and its ETag.</summary>
public sealed record GrainStateRecord(byte[]? Payload, string Etag);
