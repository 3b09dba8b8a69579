using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class ErrorPropagationTests
{
    [Fact]
    public async Task An_exception_thrown_by_a_grain_on_another_silo_reaches_the_caller_with_its_type_and_message()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("remote-error"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowInvalidOperation("stock below zero"));
        Assert.Equal("stock below zero", error.Message);

        var afterAwait = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAfterAwait("bad sku"));
        Assert.Equal("bad sku", afterAwait.Message);
    }

    [Fact]
    public async Task An_exception_type_that_cannot_be_recreated_arrives_as_a_remote_exception_naming_the_original_type()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("custom-error"));

        var error = await Assert.ThrowsAsync<RemoteGrainException>(() => grain.ThrowCustom("payment declined"));

        Assert.Equal(typeof(OrderRejectedException).FullName, error.OriginalTypeName);
        Assert.Equal("payment declined", error.Message);
    }

    [Fact]
    public async Task A_local_call_propagates_the_original_exception_object()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1);
        var grain = cluster.Silos[0].GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("local-error"));

        var error = await Assert.ThrowsAsync<OrderRejectedException>(() => grain.ThrowCustom("no stock"));

        Assert.Equal(7, error.Code);
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_activates_afresh()
    {
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IFailingActivationGrain>(ClusterFixture.Key("failing-activation"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Touch());
        Assert.Equal("activation refused once", error.Message);

        await grain.Touch();
    }

    [Fact]
    public async Task Getting_a_reference_does_no_io_and_a_call_with_no_silo_fails_clearly()
    {
        await using var cluster = await ClusterFixture.DeployAsync(silos: 1);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(ClusterFixture.Key("no-silo"));

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.ThrowInvalidOperation("x"));
        Assert.False(error.RequestMayHaveStarted);
    }
}
