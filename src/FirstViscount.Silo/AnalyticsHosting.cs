using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Retention;
using FirstViscount.Analytics.Sink;
using FirstViscount.EventSourcing;
using Npgsql;

namespace FirstViscount.SiloHost;

/// <summary>
/// Analytics in the silo host, when ClickHouse:Url is set (and PostgreSQL is): the sink worker (active in one
/// silo at a time), the daily retention job it runs, and the queries behind /v1/analytics.
/// </summary>
internal static class AnalyticsHosting
{
    public static bool IsConfigured(IConfiguration configuration, string? postgres) => postgres is not null && configuration["ClickHouse:Url"] is { Length: > 0 };

    public static void AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ClickHouse");
        var http = ClickHouseHttp.Create(new Uri(section["Url"]!), section.GetValue("Timeout", TimeSpan.FromSeconds(30)), section["TrustedCertificateAuthority"]);
        var clickHouse = new ClickHouseClient(http, section["Database"] ?? "default");
        var retention = configuration.GetValue("Analytics:Retention", ClickHouseRetention.DefaultPeriod);
        services.AddSingleton(clickHouse);
        services.AddSingleton(provider => new AnalyticsSink(configuration["Analytics:SinkName"] ?? AnalyticsSink.DefaultName,
            provider.GetRequiredService<IEventStore>(), clickHouse, provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(provider => new AnalyticsQueries(provider.GetRequiredService<AnalyticsSink>(), clickHouse, provider.GetRequiredService<NpgsqlDataSource>()));
        var postgres = SiloConfiguration.PostgresSessionConnectionString(configuration);
        services.AddHostedService(provider => new AnalyticsSinkService(provider.GetRequiredService<AnalyticsSink>(), clickHouse,
            provider.GetRequiredService<NpgsqlDataSource>(), postgres, retention,
            configuration.GetValue("Analytics:IdleDelay", TimeSpan.FromMilliseconds(200)), provider.GetRequiredService<ILogger<AnalyticsSinkService>>()));
    }
}

/// <summary>
/// Runs the sink worker until shutdown. Its housekeeping, run by the active worker when it takes over and daily
/// (with the worker's back-off while ClickHouse is down), creates the ClickHouse schema and applies retention.
/// </summary>
internal sealed class AnalyticsSinkService(AnalyticsSink sink, ClickHouseClient clickHouse, NpgsqlDataSource dataSource, string postgres, TimeSpan retention, TimeSpan idleDelay,
    ILogger<AnalyticsSinkService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new AnalyticsSinkWorker(sink, postgres, idleDelay, TimeSpan.FromSeconds(30), HousekeepingAsync, logger).RunAsync(stoppingToken);

    private async Task HousekeepingAsync(CancellationToken cancellationToken)
    {
        await ClickHouseSchema.EnsureAsync(clickHouse, cancellationToken);
        var dropped = await ClickHouseRetention.RunAsync(clickHouse, dataSource, sink.Clock.GetUtcNow(), retention, cancellationToken);
        if (dropped.Count > 0)
        {
            logger.LogInformation("Analytics retention dropped {Partitions}", string.Join(", ", dropped));
        }
    }
}
