namespace FirstViscount.Transport.Tcp;

/// <summary>Settings of the silo-to-silo TCP transport.</summary>
public sealed class TcpTransportOptions
{
    /// <summary>Address the silo listens on for other silos and clients.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port for silo traffic (0 for clients, which only connect out).</summary>
    public int Port { get; set; } = 11111;

    /// <summary>Largest frame accepted or sent (default 16 MiB); a larger call fails alone, the connection stays.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new FirstViscountException($"Transport setting Port must be 0-65535, not {Port}.");
        }
        if (MaxMessageBytes < 1024)
        {
            throw new FirstViscountException("Transport setting MaxMessageBytes must be at least 1024.");
        }
    }
}
