namespace FirstViscount.Commerce;

/// <summary>The storage providers the domain's grains name; the host decides what backs each.</summary>
public static class CommerceStorage
{
    /// <summary>Carts: Redis with a time to live in production (session consistency).</summary>
    public const string Carts = "carts";
}
