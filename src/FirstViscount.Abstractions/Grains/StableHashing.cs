namespace FirstViscount;

/// <summary>
/// Process-independent 64-bit hashing (FNV-1a over UTF-16 code units, finished with a SplitMix64 mix).
/// <see cref="string.GetHashCode()"/> is randomised per process, so placement cannot use it.
/// </summary>
public static class StableHashing
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Hash(string value)
    {
        var hash = FnvOffset;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }
        return Mix(hash);
    }

    public static ulong Combine(ulong first, ulong second) => Mix(first ^ (second + 0x9E3779B97F4A7C15UL + (first << 6) + (first >> 2)));

    /// <summary>SplitMix64's finaliser: spreads every input bit over the whole output.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
