namespace FirstViscount.Analytics.ClickHouse;

/// <summary>ClickHouse refused a query (its code and text), or could not be reached.</summary>
public sealed class ClickHouseException(string message, int? code = null, Exception? innerException = null) : FirstViscountException(message, innerException)
{
    /// <summary>ClickHouse's error code (e.g. 60: unknown table), when it answered.</summary>
    public int? Code { get; } = code;
}
