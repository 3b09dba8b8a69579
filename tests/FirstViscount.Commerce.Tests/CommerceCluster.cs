using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Delivery;
using FirstViscount.Commerce.Payments;
using FirstViscount.Commerce.Registration;
using FirstViscount.Commerce.Sagas;
using FirstViscount.EventSourcing;
using FirstViscount.Testing;
using FirstViscount.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FirstViscount.Commerce.Tests;

/// <summary>A 3-silo Orleans TestingHost cluster with the domain on real PostgreSQL (state, events, reminders) and Redis, one service id per test.</summary>
internal static class CommerceCluster
{
    /// <summary>Short saga timings, so that timeouts and retries play out in a test's time.</summary>
    public static CheckoutOptions FastCheckout() => new()
    {
        Reserve = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        Payment = new StepPolicy(TimeSpan.FromMilliseconds(400), 2),
        Commit = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        Confirmation = new StepPolicy(TimeSpan.FromSeconds(5), 5),
        Delivery = new StepPolicy(TimeSpan.FromSeconds(5), 2),
        ResumeInterval = TimeSpan.FromSeconds(1),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
    };

    public static RegistrationOptions FastRegistration() => new()
    {
        CreateAccount = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        InitializePreferences = new StepPolicy(TimeSpan.FromSeconds(2), 5),
        Welcome = new StepPolicy(TimeSpan.FromSeconds(5), 3),
        ResumeInterval = TimeSpan.FromSeconds(1),
        RetryBackoff = TimeSpan.FromMilliseconds(20),
    };

    public static async Task<InProcessTestCluster> DeployAsync(FakeTimeProvider? time = null, short silos = 3, PaymentGatewaySimulator? gateway = null,
        InMemoryProductCatalog? catalog = null, IPreferencesStore? preferences = null, Action<ISiloBuilder>? silo = null, CarrierGatewaySimulator? carriers = null)
    {
        var builder = new CommerceTestCluster(silos)
            .UsePostgresAndRedis(TestServers.Postgres, TestServers.Redis)
            .ConfigureCommerce(options => (options.Checkout, options.Registration) = (FastCheckout(), FastRegistration()))
            .ConfigureServices(services =>
            {
                services.AddSingleton<IPaymentGateway>(gateway ?? new PaymentGatewaySimulator());
                services.AddSingleton<ICarrierGateway>(carriers ?? new CarrierGatewaySimulator());
                services.AddSingleton<IProductCatalog>(catalog ?? new InMemoryProductCatalog());
                if (preferences is not null)
                {
                    services.AddSingleton(preferences);
                }
            });
        if (silo is not null)
        {
            builder.ConfigureSilo(silo);
        }
        if (time is not null)
        {
            builder.UseTimeProvider(time);
        }
        return await builder.DeployAsync();
    }

    public static string Key(string test) => $"{test}-{Guid.NewGuid():N}";

    public static IEventStore EventStore(InProcessTestCluster cluster) => cluster.GetSiloServiceProvider().GetRequiredService<IEventStore>();

    /// <summary>Moves the grains' clock forward in steps, giving reminders and timers real time to run at each.</summary>
    public static async Task AdvanceTimeAsync(FakeTimeProvider time, TimeSpan total, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            time.Advance(step);
            await Task.Delay(10);
        }
        await Task.Delay(200);
    }

    /// <summary>
    /// Replaces every silo of the cluster, one at a time (killed, or stopped gracefully), so that no activation of
    /// before survives; returns once the test's client reaches the new silos.
    /// </summary>
    public static async Task ReplaceEverySiloAsync(InProcessTestCluster cluster, bool kill)
    {
        var count = cluster.Silos.Count;
        foreach (var silo in cluster.Silos.ToList())
        {
            await (kill ? cluster.KillSiloAsync(silo) : cluster.StopSiloAsync(silo));
            await cluster.StartAdditionalSiloAsync();
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                if (hosts.Count == count && cluster.Silos.All(silo => hosts.ContainsKey(silo.SiloAddress)))
                {
                    return;
                }
            }
            catch (OrleansException) when (DateTime.UtcNow < deadline)
            {
                // the client still knows only gateways that are gone; it refreshes its list every second
            }
            Assert.True(DateTime.UtcNow < deadline, "the client did not reach the replacement silos");
            await Task.Delay(100);
        }
    }

    /// <summary>The silo where <paramref name="grain"/> is active now, if it is.</summary>
    public static async Task<InProcessSiloHandle?> SiloOfAsync(InProcessTestCluster cluster, IAddressable grain)
    {
        var address = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return cluster.Silos.FirstOrDefault(silo => silo.SiloAddress == address);
    }
}
