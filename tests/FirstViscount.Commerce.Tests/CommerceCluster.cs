using FirstViscount.Tests;
using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Registration;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Sagas;
using FirstViscount.Commerce.Payments;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Redis;
using FirstViscount.Redis.Client;
using FirstViscount.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Commerce.Tests;

/// <summary>A 3-silo TestCluster with the domain on real PostgreSQL (state, events, reminders), one service id per test.</summary>
internal static class CommerceCluster
{
    /// <summary>Short saga timings, so that timeouts and retries play out in a test's time.</summary>
    public static CheckoutOptions FastCheckout() => new()
    {
        Reserve = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        Payment = new StepPolicy(TimeSpan.FromMilliseconds(400), 2),
        Commit = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        Confirmation = new StepPolicy(TimeSpan.FromSeconds(5), 5),
        ResumeInterval = TimeSpan.FromSeconds(1),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<TestCluster> DeployAsync(FakeTimeProvider? time = null, int silos = 3, PaymentGatewaySimulator? gateway = null,
        InMemoryProductCatalog? catalog = null, IPreferencesStore? preferences = null)
    {
        catalog ??= new InMemoryProductCatalog();
        preferences ??= new RedisPreferencesStore(new RedisClient(RedisConnectionOptions.Parse(TestServers.Redis)));
        var serviceId = $"commerce-test-{Guid.NewGuid():N}";
        var payerKey = PayerProtector.NewKey();
        gateway ??= new PaymentGatewaySimulator();
        var builder = new TestClusterBuilder(silos).ConfigureSilos(silo =>
        {
            silo.Configure(options => options.ServiceId = serviceId);
            silo.AddPostgresGrainStorageAsDefault(options => options.ConnectionStrings.Add(TestServers.Postgres));
            silo.UsePostgresRemindersAndEvents(TestServers.Postgres);
            silo.Services.AddSingleton(CommerceEvents.CreateSerializer());
            silo.Services.AddSingleton<IPaymentGateway>(gateway);
            silo.Services.AddSingleton(new PayerProtector(payerKey));
            silo.Services.AddSingleton(FastCheckout());
            silo.Services.AddSingleton<IProductCatalog>(catalog);
            silo.AddRedisGrainStorage("carts", TestServers.Redis, TimeSpan.FromDays(7));
            silo.Services.AddSingleton<IAccountStore>(services => new PostgresAccountStore(services.GetRequiredService<PostgresDataSources>().Get(TestServers.Postgres)));
            silo.Services.AddSingleton(preferences);
            silo.Services.AddSingleton(new RegistrationOptions
            {
                CreateAccount = new StepPolicy(TimeSpan.FromSeconds(5), 3),
                InitializePreferences = new StepPolicy(TimeSpan.FromSeconds(2), 5),
                Welcome = new StepPolicy(TimeSpan.FromSeconds(5), 3),
                ResumeInterval = TimeSpan.FromSeconds(1),
                RetryBackoff = TimeSpan.FromMilliseconds(20),
            });
        });
        if (time is not null)
        {
            builder.UseTimeProvider(time);
        }
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static string Key(string test) => $"{test}-{Guid.NewGuid():N}";

    public static IEventStore EventStore(TestCluster cluster) => cluster.Silos[0].Services.GetRequiredService<IEventStore>();
}
