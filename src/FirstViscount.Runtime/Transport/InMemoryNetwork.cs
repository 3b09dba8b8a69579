using System.Collections.Concurrent;
using FirstViscount.Membership;

namespace FirstViscount.Transport;

/// <summary>The "network" of an in-process cluster: which silo listens where.</summary>
public sealed class InMemoryNetwork
{
    internal ConcurrentDictionary<SiloAddress, InMemoryTransport> Listeners { get; } = new();
}
