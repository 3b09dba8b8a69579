namespace FirstViscount;

/// <summary>Why an activation is being deactivated; passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public enum DeactivationReasonCode
{
    /// <summary>The grain asked for it with <see cref="Grain.DeactivateOnIdle"/>.</summary>
    ApplicationRequested,
    /// <summary>Idle longer than its collection age.</summary>
    IdleTimeout,
    /// <summary>The cluster changed and another silo owns the grain now.</summary>
    PlacementChanged,
    /// <summary>The silo is shutting down gracefully.</summary>
    ShuttingDown,
    /// <summary>Its state is stale (an ETag conflict); it must re-read from storage on the next activation.</summary>
    InconsistentState,
    /// <summary>The silo lost its membership lease and must stop serving.</summary>
    MembershipLost,
}

/// <summary>The reason code and a human-readable description.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description)
{
    public override string ToString() => $"{Code}: {Description}";
}
