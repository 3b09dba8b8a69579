namespace FirstViscount;

/// <summary>A silo tried to write grain state after it stopped being a member in good standing (fencing).</summary>
public sealed class WriteFencedException : FirstViscountException
{
    public WriteFencedException(string message) : base(message) { }
}
