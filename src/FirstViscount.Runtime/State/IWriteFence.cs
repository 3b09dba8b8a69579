namespace FirstViscount.State;

/// <summary>
/// Decides whether this silo may still write grain state. A silo that lost its membership standing
/// (lease expired, killed, shut down) must not write: another silo may already own its grains.
/// </summary>
public interface IWriteFence
{
    /// <summary>Throws if writes are no longer allowed.</summary>
    void EnsureCanWrite();
}
