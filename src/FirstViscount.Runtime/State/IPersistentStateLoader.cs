namespace FirstViscount.State;

/// <summary>A persistent state the runtime reads before the grain's OnActivateAsync.</summary>
internal interface IPersistentStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}
