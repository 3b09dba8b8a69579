using System.Text;
using FirstViscount.Commerce.Inventory;
using FirstViscount.EventSourcing;
using Microsoft.Extensions.Time.Testing;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class InventoryTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Of_200_concurrent_reservations_for_50_in_stock_exactly_50_succeed_and_available_never_goes_negative()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var sku = CommerceCluster.Key("hot");
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(sku);
        await inventory.Receive(50, "initial stock");

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => inventory.Reserve($"order-{i}", 1, Hold)));

        Assert.Equal(50, results.Count(r => r.Outcome == ReservationOutcome.Reserved));
        Assert.Equal(150, results.Count(r => r.Outcome == ReservationOutcome.InsufficientStock));
        var levels = await inventory.GetLevels();
        Assert.Equal((50, 50, 0), (levels.OnHand, levels.Reserved, levels.Available));

        // Replay every stored event: available is never negative at any point.
        var replay = new InventoryState();
        var serializer = CommerceEvents.CreateSerializer();
        foreach (var recorded in await CommerceCluster.EventStore(cluster).ReadStreamAsync($"inventory-sku-{sku}", 0, CancellationToken.None))
        {
            replay.Apply(serializer.Deserialize(recorded));
            Assert.True(replay.Available >= 0, $"available {replay.Available} after event {recorded.Version}");
        }
        Assert.Equal(0, replay.Available);
    }

    [Fact]
    public async Task Reserving_twice_for_the_same_order_holds_stock_once()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(CommerceCluster.Key("idempotent"));
        await inventory.Receive(10, "stock");

        var first = await inventory.Reserve("order-1", 3, Hold);
        var again = await inventory.Reserve("order-1", 3, Hold);

        Assert.Equal(ReservationOutcome.Reserved, again.Outcome);
        Assert.Equal(first.Levels.Version, again.Levels.Version);
        Assert.Equal(7, (await inventory.GetLevels()).Available);
    }

    [Fact]
    public async Task Committing_ships_the_held_stock_once_and_a_later_release_changes_nothing()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(CommerceCluster.Key("commit"));
        await inventory.Receive(10, "stock");
        await inventory.Reserve("order-1", 4, Hold);

        await inventory.Commit("order-1");
        await inventory.Commit("order-1");
        var levels = await inventory.Release("order-1", "cancelled");

        Assert.Equal((6, 0, 6), (levels.OnHand, levels.Reserved, levels.Available));
        Assert.Equal(ReservationOutcome.Reserved, (await inventory.Reserve("order-1", 4, Hold)).Outcome);
        Assert.Equal(6, (await inventory.GetLevels()).Available); // an already committed order is not reserved again
    }

    [Fact]
    public async Task An_adjustment_below_what_is_reserved_is_refused()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(CommerceCluster.Key("adjust"));
        await inventory.Receive(10, "stock");
        await inventory.Reserve("order-1", 8, Hold);

        var error = await Assert.ThrowsAsync<StockConflictException>(() => inventory.Adjust(-3, "breakage"));

        Assert.Contains("reserved", error.Message);
        Assert.Equal(8, (await inventory.Adjust(-2, "breakage")).OnHand);
    }

    [Fact]
    public async Task Crossing_the_reorder_point_records_a_low_stock_event_once()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var sku = CommerceCluster.Key("low");
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(sku);
        await inventory.Receive(10, "stock");
        await inventory.SetReorderPoint(5);

        for (var i = 0; i < 8; i++)
        {
            await inventory.Reserve($"order-{i}", 1, Hold);
        }

        var movements = await inventory.GetMovements(1, 100);
        var low = Assert.Single(movements, m => m.Kind == "low-stock");
        Assert.Equal(5, low.Quantity);
    }

    [Fact]
    public async Task A_reservation_expires_after_its_hold_and_its_stock_returns()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await CommerceCluster.DeployAsync(time);
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(CommerceCluster.Key("expiry"));
        await inventory.Receive(5, "stock");
        await inventory.Reserve("order-1", 2, Hold);
        await inventory.Reserve("order-2", 1, Hold + TimeSpan.FromMinutes(10));

        await CommerceCluster.AdvanceTimeAsync(time, TimeSpan.FromMinutes(14), step: TimeSpan.FromSeconds(5));
        Assert.Equal(2, (await inventory.GetLevels()).Available);

        await CommerceCluster.AdvanceTimeAsync(time, TimeSpan.FromMinutes(2), step: TimeSpan.FromSeconds(5));
        Assert.Equal(4, (await inventory.GetLevels()).Available);

        await CommerceCluster.AdvanceTimeAsync(time, TimeSpan.FromMinutes(10), step: TimeSpan.FromSeconds(5));
        Assert.Equal(5, (await inventory.GetLevels()).Available);
    }

    [Fact]
    public async Task A_version_1_reservation_event_is_read_as_version_2_with_the_default_hold()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var sku = CommerceCluster.Key("upcast");
        var reservedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var store = CommerceCluster.EventStore(cluster);
        await store.AppendAsync($"inventory-sku-{sku}", ExpectedVersion.NoStream,
        [
            new EventData(Guid.NewGuid(), "inventory.stock-received", 1, Encoding.UTF8.GetBytes($$"""{"sku":"{{sku}}","quantity":9,"reason":"legacy"}"""), new EventMetadata()),
            new EventData(Guid.NewGuid(), "inventory.stock-reserved", 1, Encoding.UTF8.GetBytes($$"""{"sku":"{{sku}}","orderId":"old-order","quantity":4,"reservedAt":"{{reservedAt:O}}"}"""), new EventMetadata()),
        ], CancellationToken.None);

        var recorded = (await store.ReadStreamAsync($"inventory-sku-{sku}", 1, CancellationToken.None))[0];
        var upcast = Assert.IsType<StockReserved>(CommerceEvents.CreateSerializer().Deserialize(recorded));
        Assert.Equal(reservedAt + InventorySkuGrain.DefaultHold, upcast.ExpiresAt);

        var levels = await cluster.Client.GetGrain<IInventorySkuGrain>(sku).GetLevels();
        Assert.Equal((9, 4, 5), (levels.OnHand, levels.Reserved, levels.Available));
    }

    [Fact]
    public async Task State_is_rebuilt_from_a_snapshot_plus_later_events_after_a_thousand_events()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var sku = CommerceCluster.Key("snapshot");
        var inventory = cluster.Client.GetGrain<IInventorySkuGrain>(sku);

        for (var round = 0; round < 11; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => inventory.Receive(1, "pallet")));
        }

        Snapshot? snapshot = null;
        for (var attempt = 0; attempt < 100 && snapshot is null; attempt++)
        {
            await Task.Delay(20); // snapshots are written in the background
            snapshot = await CommerceCluster.EventStore(cluster).LoadSnapshotAsync($"inventory-sku-{sku}", CancellationToken.None);
        }
        Assert.NotNull(snapshot);
        Assert.InRange(snapshot.Version, 1000, 1100);
        await CommerceCluster.ReplaceEverySiloAsync(cluster, kill: false); // every activation is gone: the next call rebuilds from the snapshot
        Assert.Equal(1100, (await inventory.GetLevels()).OnHand);
    }
}
