using FirstViscount.Cluster.Tests.Grains;
using FirstViscount.Invocation;
using FirstViscount.Testing;
using FirstViscount.Transport.Tcp;

namespace FirstViscount.Cluster.Tests.Transport;

[Trait("Category", "Cluster")]
public sealed class TcpTransportTests
{
    private static int nextPort = 21_000 + Random.Shared.Next(0, 4_000) * 2;

    private static async Task<TestCluster> DeployAsync(int silos, int maxMessageBytes = 16 * 1024 * 1024, string? clientClusterId = null)
    {
        var cluster = new TestClusterBuilder(silos)
            .ConfigureSilos(silo => silo.UseTcpTransport(options =>
            {
                options.Port = Interlocked.Increment(ref nextPort);
                options.MaxMessageBytes = maxMessageBytes;
            }))
            .ConfigureClient(client =>
            {
                if (clientClusterId is not null)
                {
                    client.Configure(options => options.ClusterId = clientClusterId);
                }
                client.UseTcpTransport(options => { options.Port = 0; options.MaxMessageBytes = maxMessageBytes; });
            })
            .Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task Calls_cross_silos_over_tcp_with_their_results()
    {
        await using var cluster = await DeployAsync(3);
        var accounts = Enumerable.Range(0, 60).Select(_ => cluster.GrainFactory.GetGrain<IAccountGrain>($"tcp-{Guid.NewGuid():N}")).ToList();

        await Task.WhenAll(accounts.Select(a => a.Deposit(4)));
        var balances = await Task.WhenAll(accounts.Select(a => a.Deposit(6)));

        Assert.All(balances, b => Assert.Equal(10, b));
        Assert.All(cluster.Silos, s => Assert.True(s.ActivationCount > 0));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_fails_alone_and_the_connection_keeps_working()
    {
        await using var cluster = await DeployAsync(1, maxMessageBytes: 64 * 1024);
        var grain = cluster.GrainFactory.GetGrain<ITransferGrain>($"size-{Guid.NewGuid():N}");

        var tooBig = await Assert.ThrowsAsync<FirstViscountException>(() => grain.Length(new byte[100_000]));
        Assert.Contains("maximum message size", tooBig.Message);
        var tooBigResult = await Assert.ThrowsAsync<FirstViscountException>(() => grain.Make(100_000));
        Assert.Contains("maximum message size", tooBigResult.Message);

        Assert.Equal(1_000, await grain.Length(new byte[1_000]));
    }

    [Fact]
    public async Task Calls_in_flight_fail_fast_when_the_callee_silo_dies()
    {
        await using var cluster = await DeployAsync(2);
        var gate = Guid.NewGuid().ToString("N");
        var grain = cluster.GrainFactory.GetGrain<ITransferGrain>($"inflight-{gate}");
        var call = grain.Hang(gate);
        await TransferGrain.Inside.GetOrAdd(gate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(10));
        var host = cluster.Silos.Single(s => s.HostsActivationOf(((GrainReference)(object)grain).GrainId));

        await cluster.KillSiloAsync(host);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(error.RequestMayHaveStarted);
    }

    [Fact]
    public async Task A_call_to_a_dead_silo_that_never_started_is_retried_on_the_new_owner()
    {
        await using var cluster = await DeployAsync(2);
        var accounts = Enumerable.Range(0, 20).Select(_ => cluster.GrainFactory.GetGrain<IAccountGrain>($"retry-{Guid.NewGuid():N}")).ToList();
        await Task.WhenAll(accounts.Select(a => a.Deposit(1)));

        await cluster.KillSiloAsync(cluster.Silos[1]);

        Assert.All(await Task.WhenAll(accounts.Select(a => a.Deposit(1))), b => Assert.Equal(2, b));
    }

    [Fact]
    public async Task A_client_of_another_cluster_is_refused()
    {
        await using var cluster = await DeployAsync(1, clientClusterId: "someone-else");
        var grain = cluster.GrainFactory.GetGrain<IAccountGrain>($"foreign-{Guid.NewGuid():N}");

        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.Balance().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
