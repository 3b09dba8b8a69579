using System.Collections.Concurrent;
namespace FirstViscount.Transport;

/// <summary>The "network" of an in-process cluster: which silo listens where.</summary>
public sealed class InMemoryNetwork
{
    /// <summary>By endpoint: a silo that rejoins as a new generation keeps listening where it did.</summary>
    internal ConcurrentDictionary<string, InMemoryTransport> Listeners { get; } = new();
}
