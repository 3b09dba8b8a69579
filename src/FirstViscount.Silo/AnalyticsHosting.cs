using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Retention;
using FirstViscount.Analytics.Sink;
using Npgsql;

namespace FirstViscount.SiloHost;

/// <summary>
/// Analytics in the silo host, when ClickHouse:Url is set (and PostgreSQL is): the ClickHouse client, the sink (a
/// consumer of the event log's Orleans streams, with its housekeeping job) and the queries behind /v1/analytics.
/// </summary>
internal static class AnalyticsHosting
{
    public static bool IsConfigured(IConfiguration configuration, string? postgres) => postgres is not null && configuration["ClickHouse:Url"] is { Length: > 0 };

    public static void AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ClickHouse");
        var http = ClickHouseHttp.Create(new Uri(section["Url"]!), section.GetValue("Timeout", TimeSpan.FromSeconds(30)), section["TrustedCertificateAuthority"]);
        var clickHouse = new ClickHouseClient(http, section["Database"] ?? "default");
        services.AddSingleton(clickHouse);
        services.AddSingleton(provider => new AnalyticsQueries(provider.GetRequiredService<SalesRollup>(), clickHouse, provider.GetRequiredService<NpgsqlDataSource>()));
    }

    /// <summary>The Analytics section: retention.</summary>
    public static AnalyticsStreamsOptions SinkOptions(IConfiguration configuration) =>
        new() { Retention = configuration.GetValue("Analytics:Retention", ClickHouseRetention.DefaultPeriod) };
}
