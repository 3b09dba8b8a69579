using System.Globalization;

namespace FirstViscount.State;

/// <summary>
/// Grain storage in process memory, honouring ETags exactly as the database providers do. For the runtime's
/// own tests and the embedded single-silo default; shared by every silo of an in-process cluster.
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<GrainStateKey, (byte[]? Payload, long Version)> records = [];
    private readonly Lock gate = new();

    public Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(records.TryGetValue(key, out var record)
                ? new GrainStateRecord(record.Payload?.ToArray(), Format(record.Version))
                : null);
        }
    }

    public Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(key, payload.ToArray(), expectedEtag));

    public Task<string> ClearAsync(GrainStateKey key, string? expectedEtag, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(key, null, expectedEtag));

    private string Replace(GrainStateKey key, byte[]? payload, string? expectedEtag)
    {
        lock (gate)
        {
            var exists = records.TryGetValue(key, out var current);
            if (exists ? expectedEtag != Format(current.Version) : expectedEtag is not null)
            {
                throw InconsistentStateException.For(key, expectedEtag);
            }
            var version = exists ? current.Version + 1 : 1;
            records[key] = (payload, version);
            return Format(version);
        }
    }

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}
