namespace FirstViscount;

/// <summary>
/// A named piece of a grain's state, kept by a storage provider with optimistic concurrency:
/// every write states the ETag it last saw, and a mismatch throws <see cref="InconsistentStateException"/>
/// (after which the activation deactivates and re-reads on its next activation).
/// </summary>
public interface IPersistentState<TState>
{
    TState State { get; set; }

    /// <summary>The version the activation last read or wrote; null if storage holds no record.</summary>
    string? Etag { get; }

    /// <summary>Whether storage holds a (non-cleared) record.</summary>
    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Clears the record and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
