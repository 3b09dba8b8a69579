using Orleans.Storage;

namespace FirstViscount.EventStore.Tests.Storage;

/// <summary>The behaviour every grain storage provider of the product must have; each provider's suite runs it.</summary>
public abstract class GrainStorageContract(StorageSilo silo, string storageName = "Default")
{
    protected IGrainStorage Storage => silo.Storage(storageName);

    protected static GrainId NewGrain(string test, string type = "contract-grain") => GrainId.Create(type, $"{test}-{Guid.NewGuid():N}");

    protected static GrainState<Parcel> State(string label, params int[] weights) => new(new Parcel { Label = label, Weights = [.. weights] });

    [Fact]
    public async Task Reading_a_state_never_written_gives_a_fresh_state_and_no_record()
    {
        var read = new GrainState<Parcel>();

        await Storage.ReadStateAsync("parcel", NewGrain("unwritten"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State!.Label);
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_etag()
    {
        var grain = NewGrain("roundtrip");
        var written = State("fragile", 3, 4);

        await Storage.WriteStateAsync("parcel", grain, written);
        var read = new GrainState<Parcel>();
        await Storage.ReadStateAsync("parcel", grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("fragile", read.State!.Label);
        Assert.Equal([3, 4], read.State.Weights);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_version_conflict_and_changes_nothing()
    {
        var grain = NewGrain("conflict");
        var first = State("v1");
        await Storage.WriteStateAsync("parcel", grain, first);
        var stale = first.ETag;
        first.State!.Label = "v2";
        await Storage.WriteStateAsync("parcel", grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("parcel", grain, new GrainState<Parcel>(new Parcel { Label = "v3" }, stale)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("parcel", grain, new GrainState<Parcel>(new Parcel { Label = "v3" }, null)));

        var read = new GrainState<Parcel>();
        await Storage.ReadStateAsync("parcel", grain, read);
        Assert.Equal(("v2", first.ETag), (read.State!.Label, read.ETag));
    }

    [Fact]
    public async Task Of_ten_first_writers_racing_exactly_one_wins()
    {
        var grain = NewGrain("race");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.WriteStateAsync("parcel", grain, State($"writer {i}"));
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
    public async Task After_a_clear_a_writer_holding_an_etag_from_before_it_conflicts()
    {
        var grain = NewGrain("clear");
        var state = State("before clear");
        await Storage.WriteStateAsync("parcel", grain, state);
        var beforeClear = state.ETag;

        await Storage.ClearStateAsync("parcel", grain, state);

        var read = new GrainState<Parcel>();
        await Storage.ReadStateAsync("parcel", grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State!.Label);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("parcel", grain, new GrainState<Parcel>(new Parcel(), beforeClear)));
        await Storage.WriteStateAsync("parcel", grain, new GrainState<Parcel>(new Parcel { Label = "after clear" }, read.ETag));
    }

    [Fact]
    public async Task Grains_of_two_types_with_the_same_key_and_state_name_keep_separate_states()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        await Storage.WriteStateAsync("parcel", GrainId.Create("order", key), State("an order's"));
        await Storage.WriteStateAsync("parcel", GrainId.Create("payment", key), State("a payment's"));

        var order = new GrainState<Parcel>();
        var payment = new GrainState<Parcel>();
        await Storage.ReadStateAsync("parcel", GrainId.Create("order", key), order);
        await Storage.ReadStateAsync("parcel", GrainId.Create("payment", key), payment);

        Assert.Equal(("an order's", "a payment's"), (order.State!.Label, payment.State!.Label));
    }

    [Fact]
    public async Task A_large_state_round_trips_intact()
    {
        var grain = NewGrain("large");
        var weights = Enumerable.Range(0, 200_000).ToArray();

        await Storage.WriteStateAsync("parcel", grain, State("large", weights));
        var read = new GrainState<Parcel>();
        await Storage.ReadStateAsync("parcel", grain, read);

        Assert.Equal(weights, read.State!.Weights);
    }
}
