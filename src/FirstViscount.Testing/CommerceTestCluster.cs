using FirstViscount.Commerce.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace FirstViscount.Testing;

/// <summary>
/// Builds an Orleans <see cref="InProcessTestCluster"/> (in-memory membership and transport) whose silos carry the
/// shop's domain the way production silos do: <see cref="CommerceSiloBuilderExtensions.AddFirstViscountCommerce"/>
/// with the project's storage and reminders, and its membership timings. Storage is in memory unless
/// <see cref="UsePostgresAndRedis"/> is called; reminders may tick every <see cref="ReminderPeriodFloor"/> instead of
/// Orleans's one minute, so that sagas resume within a test's time.
/// </summary>
/// <example>
/// <code>
/// await using var cluster = await new CommerceTestCluster(silos: 3).DeployAsync();
/// var sku = cluster.Client.GetGrain&lt;IInventorySkuGrain&gt;("sku-1");
/// await sku.Receive(10, "stock");
/// await cluster.KillSiloAsync(cluster.Silos[0]);
/// </code>
/// </example>
public sealed class CommerceTestCluster
{
    private readonly InProcessTestClusterBuilder builder;
    private readonly List<Action<CommerceSiloOptions>> commerce = [];
    private readonly List<Action<IServiceCollection>> services = [];
    private readonly List<Action<ISiloBuilder>> siloConfigurations = [];
    private FakeTimeProvider? time;

    public CommerceTestCluster(short silos = 3)
    {
        builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false; // TestingHost would write log files under bin/
        // The test's client learns of silos started after it (when every first silo has been replaced) within a second.
        builder.ConfigureClient(client => client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseFirstViscountClusterTimings();
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = ReminderPeriodFloor);
            silo.AddFirstViscountCommerce(options =>
            {
                foreach (var configure in commerce)
                {
                    configure(options);
                }
            });
            foreach (var configure in services)
            {
                configure(silo.Services);
            }
            foreach (var configure in siloConfigurations)
            {
                configure(silo);
            }
            if (time is not null)
            {
                // Grains and reminders see the test's clock; Orleans's own timeouts and membership keep real time.
                silo.Services.AddSingleton<TimeProvider>(time);
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, time);
            }
        });
    }

    /// <summary>The shortest reminder period the test silos accept (production: Orleans's one minute).</summary>
    public static TimeSpan ReminderPeriodFloor { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Durable storage as in production: grain state, reminders and events in PostgreSQL, carts and preferences in Redis.</summary>
    public CommerceTestCluster UsePostgresAndRedis(string postgres, string redis, string? payerKey = null) => ConfigureCommerce(options =>
    {
        options.PostgresConnectionStrings = [postgres];
        options.RedisConfiguration = redis;
        options.PayerKey = payerKey ?? Commerce.Payments.PayerProtector.NewKey();
        options.CarrierKey = Commerce.Delivery.CarrierSecretProtector.NewKey();
    });

    public CommerceTestCluster ConfigureCommerce(Action<CommerceSiloOptions> configure)
    {
        commerce.Add(configure);
        return this;
    }

    /// <summary>Adds or replaces services in every silo (for example one payment gateway simulator shared by all).</summary>
    public CommerceTestCluster ConfigureServices(Action<IServiceCollection> configure)
    {
        services.Add(configure);
        return this;
    }

    /// <summary>Anything else about every silo (Orleans options, more providers).</summary>
    public CommerceTestCluster ConfigureSilo(Action<ISiloBuilder> configure)
    {
        siloConfigurations.Add(configure);
        return this;
    }

    /// <summary>Grains (and reminders) read <paramref name="clock"/> as their time; advance it to expire holds without waiting.</summary>
    public CommerceTestCluster UseTimeProvider(FakeTimeProvider clock)
    {
        time = clock;
        return this;
    }

    /// <summary>Anything else TestingHost offers.</summary>
    public CommerceTestCluster ConfigureOrleans(Action<InProcessTestClusterBuilder> configure)
    {
        configure(builder);
        return this;
    }

    public async Task<InProcessTestCluster> DeployAsync()
    {
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
