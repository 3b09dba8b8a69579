namespace FirstViscount.Invocation;

/// <summary>How a request may interleave with others on the same activation.</summary>
[Flags]
public enum GrainCallOptions
{
    None = 0,
    AlwaysInterleave = 1,
    ReadOnly = 2,
}
