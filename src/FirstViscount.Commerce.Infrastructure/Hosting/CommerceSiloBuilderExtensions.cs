using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Payments;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace FirstViscount.Commerce.Hosting;

/// <summary>Puts the shop's domain into an Orleans silo: its grains' services, storage providers and reminders.</summary>
public static class CommerceSiloBuilderExtensions
{
    public static ISiloBuilder AddFirstViscountCommerce(this ISiloBuilder silo, Action<CommerceSiloOptions>? configure = null)
    {
        var options = new CommerceSiloOptions();
        configure?.Invoke(options);
        options.Validate();
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CommerceEvents.CreateSerializer());
        services.AddSingleton<IPaymentGateway, PaymentGatewaySimulator>();
        services.TryAddSingleton<ICarrierGateway, CarrierGatewaySimulator>();
        // In memory nothing outlives the process, so a key of its own is enough; stored data needs a kept key.
        services.AddSingleton(new PayerProtector(options.PayerKey is { Length: > 0 } key ? key : PayerProtector.NewKey()));
        services.AddSingleton(options.Checkout);
        services.AddSingleton(options.Registration);
        services.AddSingleton<IConfigurationValidator, SagaTimingsValidator>();
        // Stored state uses the Orleans serializer: [Alias] and [Id] keep it readable when classes are renamed.
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        services.Configure<ExceptionSerializationOptions>(exceptions =>
        {
            // So that a database's, Redis's or a provider's error reaches a caller on another silo or a client with its
            // type and message (Orleans serializes only Microsoft, System and Azure exceptions it has no codec for).
            exceptions.SupportedNamespacePrefixes.Add("Npgsql");
            exceptions.SupportedNamespacePrefixes.Add("StackExchange.Redis");
            exceptions.SupportedNamespacePrefixes.Add("Orleans");
        });
        if (options.IsDurable)
        {
            AddDurableStores(silo, options);
        }
        else
        {
            AddInMemoryStores(silo);
        }
        return silo;
    }

    private static void AddDurableStores(ISiloBuilder silo, CommerceSiloOptions options)
    {
        var primary = options.PostgresConnectionStrings[0];
        var services = silo.Services;
        silo.AddPostgresGrainStorageAsDefault(storage => storage.ConnectionStrings.AddRange(options.PostgresConnectionStrings));
        silo.UsePostgresReminderService(primary);
        services.AddSharedRedis(options.RedisConfiguration!, options.RedisTrustedCertificateAuthority);
        silo.AddRedisGrainStorage(CommerceStorage.Carts, carts => carts.Configure<IConnectionMultiplexer>((redis, connection) =>
        {
            redis.ConfigurationOptions = ConfigurationOptions.Parse(options.RedisConfiguration!); // validated by the provider; the connection is shared
            redis.CreateMultiplexer = _ => Task.FromResult((connection, IsShared: true));
            redis.EntryExpiry = options.CartTimeToLive; // renewed by every write
            redis.DeleteStateOnClear = true;
        }));
        // The primary database's data source, for the event store and the stores below (disposed with the silo's data sources).
        services.AddSingleton(sources => sources.GetRequiredService<PostgresDataSources>().Get(primary));
        services.AddSingleton(sources => new PostgresEventStore(sources.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IEventStore>(sources => sources.GetRequiredService<PostgresEventStore>());
        if (options.PostgresReplicaConnectionString is { Length: > 0 } replica)
        {
            services.AddSingleton(sources => new ReplicaLagMonitor(sources.GetRequiredService<NpgsqlDataSource>(),
                sources.GetRequiredService<PostgresDataSources>().Get(replica), options.Replica, sources.GetRequiredService<TimeProvider>(),
                sources.GetRequiredService<ILogger<ReplicaLagMonitor>>(), sources.GetService<IMeterFactory>()));
            services.AddHostedService(sources => new ReplicaLagMonitoring(sources.GetRequiredService<ReplicaLagMonitor>()));
        }
        services.AddSingleton(sources => new PostgresCatalog(sources.GetRequiredService<NpgsqlDataSource>(),
            sources.GetRequiredService<IConnectionMultiplexer>(), sources.GetRequiredService<TimeProvider>(), sources.GetService<ReplicaLagMonitor>()));
        services.AddSingleton<IProductCatalog>(sources => sources.GetRequiredService<PostgresCatalog>());
        services.AddSingleton<IAccountStore>(sources => new PostgresAccountStore(sources.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IPreferencesStore>(sources => new RedisPreferencesStore(sources.GetRequiredService<IConnectionMultiplexer>()));
        services.AddSingleton(new CarrierSecretProtector(options.CarrierKey!));
        services.AddSingleton<ICarrierAccounts>(sources => new PostgresCarrierAccounts(sources.GetRequiredService<NpgsqlDataSource>(), sources.GetRequiredService<CarrierSecretProtector>()));
    }

    private static void AddInMemoryStores(ISiloBuilder silo)
    {
        var services = silo.Services;
        silo.AddMemoryGrainStorageAsDefault();
        silo.AddMemoryGrainStorage(CommerceStorage.Carts);
        silo.UseInMemoryReminderService();
        services.AddSingleton<IEventStore, InMemoryEventStore>();
        services.AddSingleton<InMemoryProductCatalog>();
        services.AddSingleton<IProductCatalog>(sources => sources.GetRequiredService<InMemoryProductCatalog>());
        services.AddSingleton<IAccountStore, InMemoryAccountStore>();
        services.AddSingleton<IPreferencesStore, InMemoryPreferencesStore>();
        services.AddSingleton<ICarrierAccounts, InMemoryCarrierAccounts>();
    }
}
