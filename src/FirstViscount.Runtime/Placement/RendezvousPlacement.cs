using FirstViscount.Membership;

namespace FirstViscount.Placement;

/// <summary>
/// Rendezvous (highest random weight) hashing: each silo scores each grain, the highest score owns it.
/// Every process computes the same owner from the same view, with no directory; when a silo joins or
/// leaves, only the grains it wins or held move.
/// </summary>
public static class RendezvousPlacement
{
    public static SiloAddress? SelectOwner(GrainId grainId, ClusterView view)
    {
        SiloAddress? owner = null;
        ulong best = 0;
        foreach (var silo in view.ActiveSilos)
        {
            var score = StableHashing.Mix(grainId.StableHash ^ silo.StableHash);
            if (owner is null || score > best)
            {
                owner = silo;
                best = score;
            }
        }
        return owner;
    }
}
