namespace FirstViscount.Invocation;

/// <summary>
/// Base of the generated proxies. A reference is a grain id, the interface it is typed as, and the
/// runtime that sends its calls; creating one does no I/O.
/// </summary>
public abstract class GrainReference : IEquatable<GrainReference>
{
    protected GrainReference(GrainId grainId, Type interfaceType, IGrainCallInvoker invoker)
    {
        GrainId = grainId;
        InterfaceType = interfaceType;
        Invoker = invoker;
    }

    public GrainId GrainId { get; }

    public Type InterfaceType { get; }

    protected IGrainCallInvoker Invoker { get; }

    public bool Equals(GrainReference? other) => other is not null && GrainId.Equals(other.GrainId) && InterfaceType == other.InterfaceType;

    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => $"{InterfaceType.Name}:{GrainId}";
}
