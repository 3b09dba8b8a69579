using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class CrossSiloCallTests
{
    private static Order SampleOrder() => new(
        Guid.NewGuid(), "ada@example.com", 0m, new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero),
        [new OrderLine("SKU-1", 2, 9.99m), new OrderLine("SKU-2", 1, 100.01m)],
        new Dictionary<string, int> { ["SKU-1"] = 2, ["SKU-2"] = 1 },
        new Address("1 Main St", null, "DE"), Priority: null, OrderStatus.Paid);

    [Fact]
    public async Task Records_collections_enums_and_nulls_cross_silos_intact()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var echo = cluster.GrainFactory.GetGrain<IEchoGrain>(ClusterFixture.Key("echo"));
        var order = SampleOrder();

        var answer = await echo.Echo(order);

        Assert.Equal(119.99m, answer.Total);
        Assert.Equal(order.Id, answer.Id);
        Assert.Equal(order.CreatedAt, answer.CreatedAt);
        Assert.Equal(order.Lines, answer.Lines);
        Assert.Equal(order.Quantities, answer.Quantities);
        Assert.Equal(order.Shipping, answer.Shipping);
        Assert.Null(answer.Shipping!.Line2);
        Assert.Null(answer.Priority);
        Assert.Equal(OrderStatus.Paid, answer.Status);
    }

    [Fact]
    public async Task Null_arguments_and_results_cross_silos()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var echo = cluster.GrainFactory.GetGrain<IEchoGrain>(ClusterFixture.Key("nulls"));

        Assert.Null(await echo.EchoNullable(null, 3));
        Assert.Equal("x", await echo.EchoNullable("x", null));
        Assert.Equal("x5", await echo.EchoNullable("x", 5));
        var sums = await echo.Sum([[1, 2], [], [7]]);
        Assert.Equal(new[] { 3, 0, 7 }, sums);
    }

    [Fact]
    public async Task Value_task_methods_work_remotely()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var echo = cluster.GrainFactory.GetGrain<IEchoGrain>(ClusterFixture.Key("valuetask"));

        Assert.Equal(long.MaxValue, await echo.AddValue(long.MaxValue - 1, 1));
        await echo.Ping();
    }

    [Fact]
    public async Task Grain_references_can_be_passed_as_arguments_and_returned()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var echo = cluster.GrainFactory.GetGrain<IEchoGrain>(ClusterFixture.Key("refs"));
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(ClusterFixture.Key("refs-counter"));

        Assert.Equal(1, await echo.IncrementVia(counter));
        var returned = await echo.CounterFor(ClusterFixture.IdOf(counter).Key);

        Assert.Equal(counter, returned);
        Assert.Equal(2, await returned.Increment());
    }

    [Fact]
    public async Task A_deep_call_chain_across_silos_completes()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var start = Random.Shared.NextInt64(1, 1_000_000_000_000);

        var sum = await cluster.GrainFactory.GetGrain<IChainGrain>(start).SumDown(depth: 100);

        Assert.Equal(Enumerable.Range(0, 101).Sum(i => start + i), sum);
    }

    [Fact]
    public async Task Guid_keyed_grains_know_their_key()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var key = Guid.NewGuid();

        Assert.Equal(key, await cluster.GrainFactory.GetGrain<IGuidKeyedGrain>(key).Key());
    }
}
