using FirstViscount.Commerce.Notifications;
using Orleans.Dashboard;
using FirstViscount.Analytics.Retention;
using FirstViscount.Analytics.Sink;
using FirstViscount.Audit;
using FirstViscount.Audit.Scheduling;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.ReadModels;
using System.Net;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Hosting;
using FirstViscount.Commerce.Registration;
using Orleans.Configuration;

namespace FirstViscount.SiloHost;

/// <summary>
/// Configures the Orleans silo from configuration (appsettings or environment, e.g. Redis__Configuration). What is
/// not configured stays local and in memory, so a silo with no configuration runs alone: the embedded default.
/// </summary>
internal static class SiloConfiguration
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var clusterId = configuration["Silo:ClusterId"] ?? "dev";
        var serviceId = configuration["Silo:ServiceId"] ?? "firstviscount";
        var siloPort = configuration.GetValue("Silo:Port", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = configuration.GetValue("Silo:GatewayPort", 0); // co-hosted: the gateway serves HTTP; a port lets Orleans clients in
        var redis = configuration["Redis:Configuration"] is { Length: > 0 } value ? value : null;
        var redisAuthority = configuration["Redis:TrustedCertificateAuthority"];
        var postgres = PostgresConnectionStrings(configuration);

        silo.Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = (clusterId, serviceId));
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = IPAddress.Parse(configuration["Silo:AdvertisedAddress"] ?? "127.0.0.1");
            endpoints.SiloPort = siloPort;
            endpoints.GatewayPort = gatewayPort;
        });
        if (redis is not null)
        {
            silo.UseSharedRedisClustering(redis, redisAuthority);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RedisMembershipWatchdog>();
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
        }
        silo.UseFirstViscountClusterTimings(configuration);
        silo.AddDashboard(); // the Orleans dashboard, served at /dashboard to admins (SiloHostApp)
        silo.AddFirstViscountCommerce(commerce =>
        {
            commerce.PostgresConnectionStrings.AddRange(postgres);
            commerce.RedisConfiguration = redis;
            commerce.RedisTrustedCertificateAuthority = redisAuthority;
            commerce.PostgresReplicaConnectionString = configuration["Postgres:ReplicaConnectionString"];
            commerce.Replica = configuration.GetSection("Postgres:Replica").Get<ReplicaOptions>() ?? new ReplicaOptions();
            commerce.PayerKey = configuration["Payments:PayerKey"];
            commerce.CarrierKey = configuration["Delivery:CarrierKey"];
            commerce.Checkout = configuration.GetSection("Checkout").Get<CheckoutOptions>() ?? new CheckoutOptions();
            commerce.Registration = configuration.GetSection("Registration").Get<RegistrationOptions>() ?? new RegistrationOptions();
        });
        if (postgres.Count > 0)
        {
            silo.AddEventLogReadModels(streams => configuration.GetSection("EventLog").Bind(streams));
            silo.AddNotifications(notifications => configuration.GetSection("Notifications").Bind(notifications));
            silo.AddConsistencyAuditor(AuditOptions(configuration));
        }
        if (AnalyticsHosting.IsConfigured(configuration, postgres.FirstOrDefault()))
        {
            silo.AddClickHouseSink(AnalyticsHosting.SinkOptions(configuration));
        }
        silo.Services.AddHostedService(services => new StartupReport(services.GetRequiredService<ILogger<StartupReport>>(),
            $"cluster {clusterId}, silo port {siloPort}, membership {(redis is null ? "localhost (single silo)" : "Redis")}, " +
            $"grain state {(postgres.Count == 0 ? "in memory" : $"PostgreSQL ({postgres.Count} database(s))")}, " +
            $"reminders and events {(postgres.Count == 0 ? "in memory" : "PostgreSQL")}, carts {(redis is null ? "in memory" : "Redis")}"));
    }

    /// <summary>The Audit section, comparing ClickHouse up to the checkpoint of the sink the silo runs, over the months it keeps.</summary>
    private static AuditOptions AuditOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection("Audit").Get<AuditOptions>() ?? new AuditOptions();
        options.AnalyticsRetention = configuration.GetValue("Analytics:Retention", ClickHouseRetention.DefaultPeriod);
        return options;
    }

    public static IReadOnlyList<string> PostgresConnectionStrings(IConfiguration configuration)
    {
        var single = configuration["Postgres:ConnectionString"];
        var shards = configuration.GetSection("Postgres:ConnectionStrings").Get<string[]>() ?? [];
        return [.. (string.IsNullOrWhiteSpace(single) ? shards : [single, .. shards]).Distinct()];
    }

    /// <summary>Says in the log what the silo runs on, so that an embedded in-memory silo is never mistaken for a durable one.</summary>
    private sealed class StartupReport(ILogger<StartupReport> logger, string providers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("FirstViscount silo started: {Providers}", providers);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
