using FirstViscount.Commerce;
using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.Registration;
using FirstViscount.EventSourcing;
using FirstViscount.Hosting;
using FirstViscount.Postgres;
using FirstViscount.Redis;
using FirstViscount.Redis.Client;

namespace FirstViscount.SiloHost;

/// <summary>
/// Puts the shop's domain into a silo: its event types, payment gateway and payer key, saga timings, and the
/// stores behind its ports — PostgreSQL and Redis when configured, in memory for the embedded default.
/// </summary>
internal static class CommerceWiring
{
    public static void AddCommerce(SiloBuilder silo, IConfiguration configuration, string? postgres, string? redis)
    {
        silo.Services.AddSingleton(CommerceEvents.CreateSerializer());
        silo.Services.AddSingleton<IPaymentGateway, PaymentGatewaySimulator>();
        silo.Services.AddSingleton(new PayerProtector(configuration["Payments:PayerKey"] is { Length: > 0 } key ? key
            // In memory nothing outlives the process, so a key of its own is enough; stored data needs a kept key.
            : postgres is null ? PayerProtector.NewKey()
            : throw new FirstViscountException("Setting Payments:PayerKey is missing: a base64 32-byte key that encrypts payer details at rest (deploy/up.sh generates one).")));
        silo.Services.AddSingleton(configuration.GetSection("Checkout").Get<CheckoutOptions>() ?? new CheckoutOptions());
        silo.Services.AddSingleton(configuration.GetSection("Registration").Get<RegistrationOptions>() ?? new RegistrationOptions());

        if (postgres is not null && redis is not null)
        {
            silo.UsePostgresRemindersAndEvents(postgres);
            silo.AddRedisGrainStorage("carts", redis, TimeSpan.FromDays(7));
            var redisClient = new RedisClient(RedisConnectionOptions.Parse(redis));
            silo.Services.AddSingleton(redisClient);
            silo.Services.AddSingleton(services => new PostgresCatalog(services.GetRequiredService<PostgresDataSources>().Get(postgres), redisClient, TimeProvider.System));
            silo.Services.AddSingleton<IProductCatalog>(services => services.GetRequiredService<PostgresCatalog>());
            silo.Services.AddSingleton<IAccountStore>(services => new PostgresAccountStore(services.GetRequiredService<PostgresDataSources>().Get(postgres)));
            silo.Services.AddSingleton<IPreferencesStore>(new RedisPreferencesStore(redisClient));
        }
        else
        {
            silo.Services.AddSingleton<IEventStore, InMemoryEventStore>();
            silo.AddMemoryGrainStorage("carts");
            silo.Services.AddSingleton<InMemoryProductCatalog>();
            silo.Services.AddSingleton<IProductCatalog>(services => services.GetRequiredService<InMemoryProductCatalog>());
            silo.Services.AddSingleton<IAccountStore, InMemoryAccountStore>();
            silo.Services.AddSingleton<IPreferencesStore, InMemoryPreferencesStore>();
        }
    }
}
