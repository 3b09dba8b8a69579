namespace FirstViscount;

/// <summary>The root of every error raised by FirstViscount itself.</summary>
[GenerateSerializer, Alias("fv.error")]
public class FirstViscountException : Exception
{
    public FirstViscountException(string message) : base(message) { }

    public FirstViscountException(string message, Exception? innerException) : base(message, innerException) { }
}
