using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Analytics.Tests;

/// <summary>The servers deploy/services.sh starts (FV_POSTGRES / FV_CLICKHOUSE override them).</summary>
internal static class Backends
{
    public static readonly string Postgres = Environment.GetEnvironmentVariable("FV_POSTGRES")
        ?? "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount";

    public static readonly string ClickHouseAddress = Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? "http://127.0.0.1:18123/";

    public static readonly ClickHouseClient ClickHouse = new(new HttpClient { BaseAddress = new Uri(ClickHouseAddress), Timeout = TimeSpan.FromSeconds(30) });
}
