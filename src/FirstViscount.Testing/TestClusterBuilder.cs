using FirstViscount.Hosting;

namespace FirstViscount.Testing;

/// <summary>
/// Configures a <see cref="TestCluster"/>: how many silos, and what every silo and the client get.
/// Silos share an in-memory "Default" grain storage unless a configurator registers another.
/// </summary>
public sealed class TestClusterBuilder(int initialSilos = 2)
{
    private readonly List<Action<SiloBuilder>> siloConfigurators = [];
    private readonly List<Action<ClusterClientBuilder>> clientConfigurators = [];
    private readonly List<string> sharedMemoryStorage = ["Default"];

    public TestClusterBuilder ConfigureSilos(Action<SiloBuilder> configure)
    {
        siloConfigurators.Add(configure);
        return this;
    }

    public TestClusterBuilder ConfigureClient(Action<ClusterClientBuilder> configure)
    {
        clientConfigurators.Add(configure);
        return this;
    }

    /// <summary>Adds an in-memory grain storage named <paramref name="name"/>, shared by every silo.</summary>
    public TestClusterBuilder AddMemoryGrainStorage(string name)
    {
        sharedMemoryStorage.Add(name);
        return this;
    }

    /// <summary>Uses <paramref name="time"/> in every silo and the client (a <see cref="FakeTimeProvider"/> in tests).</summary>
    public TestClusterBuilder UseTimeProvider(TimeProvider time)
    {
        siloConfigurators.Insert(0, silo => silo.UseTimeProvider(time));
        clientConfigurators.Insert(0, client => client.UseTimeProvider(time));
        return this;
    }

    public TestCluster Build()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialSilos, 1);
        return new TestCluster(initialSilos, [.. siloConfigurators], [.. clientConfigurators], [.. sharedMemoryStorage.Distinct()]);
    }
}
