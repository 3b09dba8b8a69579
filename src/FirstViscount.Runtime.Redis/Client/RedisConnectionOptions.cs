using System.Globalization;

namespace FirstViscount.Redis.Client;

/// <summary>How to reach Redis. <see cref="Parse"/> reads "host:port,password=...,user=...,ssl=true,connectTimeout=ms,commandTimeout=ms".</summary>
public sealed class RedisConnectionOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 6379;
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool UseTls { get; set; }
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The longest wait between reconnect attempts (the backoff doubles up to it).</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public static RedisConnectionOptions Parse(string configuration)
    {
        var options = new RedisConnectionOptions();
        foreach (var part in configuration.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                var colon = part.LastIndexOf(':');
                options.Host = colon < 0 ? part : part[..colon];
                if (colon >= 0)
                {
                    options.Port = int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                        ? port : throw new FormatException($"Redis setting '{part}': the port must be a number from 1 to 65535.");
                }
                continue;
            }
            var (name, value) = (part[..equals].ToLowerInvariant(), part[(equals + 1)..]);
            switch (name)
            {
                case "password": options.Password = value; break;
                case "user": options.User = value; break;
                case "ssl": options.UseTls = bool.Parse(value); break;
                case "connecttimeout": options.ConnectTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
                case "commandtimeout": options.CommandTimeout = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
                default: throw new FormatException($"Unknown Redis setting '{name}' in '{configuration}'.");
            }
        }
        return options;
    }

    public override string ToString() => $"{Host}:{Port}{(UseTls ? " (TLS)" : "")}";
}
