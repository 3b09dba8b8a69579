using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Cli;

/// <summary>
/// The servers a command talks to: `--connection` (PostgreSQL; default FV_POSTGRES or deploy/services.sh's), and
/// `--clickhouse` (default FV_CLICKHOUSE), `--clickhouse-database`, `--clickhouse-ca`.
/// </summary>
internal sealed class ServerOptions(string? defaultClickHouse)
{
    public const string Usage = "[--connection <connection string>] [--clickhouse <url>] [--clickhouse-database <name>] [--clickhouse-ca <file>]";

    private string? clickHouseUrl = Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? defaultClickHouse;
    private string database = "default";
    private string? authority;

    public string Postgres { get; private set; } = MigrateCommand.ConfiguredConnection;

    /// <summary>Takes <paramref name="option"/> and its <paramref name="value"/> if they are one of these options with a valid value.</summary>
    public bool TryTake(string option, string? value)
    {
        switch (option)
        {
            case "--connection" when value is not null: Postgres = value; return true;
            case "--clickhouse" when Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https": clickHouseUrl = value; return true;
            case "--clickhouse-database" when value is { Length: > 0 }: database = value; return true;
            case "--clickhouse-ca" when value is { Length: > 0 }: authority = value; return true;
            default: return false;
        }
    }

    /// <summary>The ClickHouse client, or null when no ClickHouse was given.</summary>
    public ClickHouseClient? ClickHouse() =>
        clickHouseUrl is null ? null : new ClickHouseClient(ClickHouseHttp.Create(new Uri(clickHouseUrl), TimeSpan.FromMinutes(5), authority), database);
}
