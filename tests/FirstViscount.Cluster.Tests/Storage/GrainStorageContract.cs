using System.Text;
using System.Text.Json;

namespace FirstViscount.Cluster.Tests.Storage;

/// <summary>The behaviour every grain storage provider must have; each provider's suite subclasses this.</summary>
public abstract class GrainStorageContract
{
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    private static GrainStateKey NewKey(string test) => new("contract", "test-grain", $"{test}-{Guid.NewGuid():N}", "state");

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    [Fact]
    public async Task Reading_a_state_never_written_gives_nothing()
    {
        var storage = await CreateStorageAsync();
        Assert.Null(await storage.ReadAsync(NewKey("unwritten"), CancellationToken.None));
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_etag()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey("roundtrip");

        var etag = await storage.WriteAsync(key, Json(new { Value = 42, Name = "Ada" }), null, CancellationToken.None);
        var record = await storage.ReadAsync(key, CancellationToken.None);

        Assert.Equal(etag, record!.Etag);
        using var document = JsonDocument.Parse(record.Payload!);
        Assert.Equal(42, document.RootElement.GetProperty("Value").GetInt32());
        Assert.Equal("Ada", document.RootElement.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_version_conflict_and_changes_nothing()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey("conflict");
        var first = await storage.WriteAsync(key, Json(new { v = 1 }), null, CancellationToken.None);
        var second = await storage.WriteAsync(key, Json(new { v = 2 }), first, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Json(new { v = 3 }), first, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Json(new { v = 3 }), null, CancellationToken.None));

        var record = await storage.ReadAsync(key, CancellationToken.None);
        Assert.Equal(second, record!.Etag);
        Assert.Contains("2", Encoding.UTF8.GetString(record.Payload!));
    }

    [Fact]
    public async Task Of_two_first_writers_racing_exactly_one_wins()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey("race");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await storage.WriteAsync(key, Json(new { writer = i }), null, CancellationToken.None);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task Clearing_leaves_a_tombstone_that_old_etags_still_conflict_with()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey("clear");
        var written = await storage.WriteAsync(key, Json(new { v = 1 }), null, CancellationToken.None);

        var cleared = await storage.ClearAsync(key, written, CancellationToken.None);

        var record = await storage.ReadAsync(key, CancellationToken.None);
        Assert.Null(record!.Payload);
        Assert.Equal(cleared, record.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, Json(new { v = 2 }), written, CancellationToken.None));
        await storage.WriteAsync(key, Json(new { v = 2 }), cleared, CancellationToken.None);
    }

    [Fact]
    public async Task A_large_state_round_trips_intact()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey("large");
        var lines = Enumerable.Range(0, 20_000).Select(i => new { sku = $"SKU-{i:D6}", qty = i % 7, price = i * 0.01m }).ToArray();

        await storage.WriteAsync(key, Json(lines), null, CancellationToken.None);
        var record = await storage.ReadAsync(key, CancellationToken.None);

        using var document = JsonDocument.Parse(record!.Payload!);
        Assert.Equal(20_000, document.RootElement.GetArrayLength());
        Assert.Equal("SKU-019999", document.RootElement[19_999].GetProperty("sku").GetString());
        Assert.True(record.Payload!.Length > 500_000);
    }
}
