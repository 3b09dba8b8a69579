using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Testing;
using FirstViscount.Tests;

namespace FirstViscount.Commerce.Tests;

/// <summary>
/// The inventory-levels read model: kept from the event log's streams as SKUs change, it lists the SKUs at or below
/// their reorder point, counts units sold, and a rebuild from the start of the log equals what was kept live.
/// </summary>
[Trait("Category", "Commerce")]
public sealed class InventoryLevelsTests() : ScratchDatabaseTests("fv_levels")
{
    private InventoryLevels Model => new(Postgres, new PostgresEventStore(Postgres), CommerceEvents.CreateSerializer());

    [Fact]
    public async Task Stock_changes_reach_the_model_a_low_sku_is_alerted_and_a_rebuild_equals_the_live_model()
    {
        var cluster = await new CommerceTestCluster(silos: 2).UsePostgresAndRedis(ConnectionString, TestServers.Redis)
            .ConfigureSilo(silo => silo.AddEventLogReadModels(streams => streams.PollInterval = TimeSpan.FromMilliseconds(20)))
            .DeployAsync();
        try
        {
            var (low, fine) = ($"LOW-{Guid.NewGuid():N}", $"FINE-{Guid.NewGuid():N}");
            foreach (var sku in new[] { low, fine })
            {
                var grain = cluster.Client.GetGrain<IInventorySkuGrain>(sku);
                await grain.Receive(10, "opening stock");
                await grain.SetReorderPoint(5);
            }
            var lowSku = cluster.Client.GetGrain<IInventorySkuGrain>(low);
            await lowSku.Reserve("o-1", 4, TimeSpan.FromMinutes(15));
            await lowSku.Commit("o-1");
            await lowSku.Reserve("o-2", 2, TimeSpan.FromMinutes(15)); // available 4: at or below the reorder point of 5
            await cluster.Client.GetGrain<IInventorySkuGrain>(fine).Reserve("o-3", 1, TimeSpan.FromMinutes(15));

            var alerts = await Eventually.ReadAsync(() => Model.AlertsAsync(1, 100), a => a.Any(alert => alert.Sku == low), "the low SKU is alerted");
            var versions = await StreamVersionsAsync(low, fine);
            var live = await Eventually.ReadAsync(() => Model.AllAsync(), levels => levels.Count == 2 && levels.All(l => l.Version == versions[l.Sku]), "every change is in the model");

            var alert = Assert.Single(alerts);
            Assert.Equal((low, 4L, 5), (alert.Sku, alert.Available, alert.ReorderPoint));
            Assert.InRange(alert.Since, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            var levels = live.Single(l => l.Sku == low);
            Assert.Equal((6L, 2L, 4L), (levels.OnHand, levels.Reserved, levels.UnitsSold));

            Assert.Equal(2, await Model.RebuildAsync());
            Assert.Equal(live, await Model.AllAsync());
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private async Task<Dictionary<string, long>> StreamVersionsAsync(params string[] skus)
    {
        await using var command = Postgres.CreateCommand("SELECT substr(stream_id, 15), max(version) FROM events WHERE stream_id = ANY($1) GROUP BY stream_id");
        command.Parameters.AddWithValue(skus.Select(sku => $"inventory-sku-{sku}").ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }
        return versions;
    }

    [Fact]
    public async Task A_batch_delivered_twice_or_after_the_model_was_emptied_is_folded_once()
    {
        var store = new PostgresEventStore(Postgres);
        var serializer = CommerceEvents.CreateSerializer();
        var sku = $"TWICE-{Guid.NewGuid():N}";
        await store.AppendAsync($"inventory-sku-{sku}", ExpectedVersion.NoStream,
            [.. new object[] { new StockReceived(sku, 10, "stock"), new ReorderPointSet(sku, 2) }.Select(e => serializer.Serialize(e, new EventMetadata()))], CancellationToken.None);
        var first = await store.ReadStreamAsync($"inventory-sku-{sku}", 0, CancellationToken.None);
        await store.AppendAsync($"inventory-sku-{sku}", ExpectedVersion.At(2),
            [serializer.Serialize(new StockAdjusted(sku, -9, "breakage"), new EventMetadata())], CancellationToken.None);
        var second = await store.ReadStreamAsync($"inventory-sku-{sku}", 2, CancellationToken.None);

        await Model.ApplyAsync(first);
        await Model.ApplyAsync(first);
        await Model.ApplyAsync(second);
        var once = Assert.Single(await Model.AllAsync());
        await using (var empty = Postgres.CreateCommand("TRUNCATE inventory_levels"))
        {
            await empty.ExecuteNonQueryAsync();
        }
        await Model.ApplyAsync(second); // the gap before it is read from the SKU's stream

        Assert.Equal((10L - 9, 3L), (once.OnHand, once.Version));
        Assert.Equal(once with { }, Assert.Single(await Model.AllAsync()) with { LowSince = once.LowSince });
        Assert.NotNull(once.LowSince);
    }
}
