using System.Text;
using System.Text.Json;
using FirstViscount.Invocation;
using FirstViscount.Runtime.Tests.Grains;

namespace FirstViscount.Runtime.Tests;

/// <summary>Silos of two versions talk during a rolling upgrade: what one does not know, it ignores.</summary>
[Trait("Category", "Runtime")]
public sealed class WireCompatibilityTests
{
    [Fact]
    public async Task Unknown_fields_and_extra_arguments_from_a_newer_caller_are_ignored()
    {
        var request = GrainCodeRegistry.FindRequest(typeof(IEchoGrain).FullName!, "EchoNullable(string,int?)")!();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("""["ada", 7, {"addedInV2": true}, [1, 2]]"""));

        request.ReadArguments(ref reader, JsonSerializerOptions.Default);

        Assert.Equal("ada7", await (Task<string?>)request.Invoke(new EchoProbe()));
    }

    [Fact]
    public async Task Arguments_missing_from_an_older_caller_take_their_defaults()
    {
        var request = GrainCodeRegistry.FindRequest(typeof(IEchoGrain).FullName!, "EchoNullable(string,int?)")!();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("""["ada"]"""));

        request.ReadArguments(ref reader, JsonSerializerOptions.Default);

        Assert.Equal("ada", await (Task<string?>)request.Invoke(new EchoProbe()));
    }

    [Fact]
    public void Unknown_record_members_are_ignored()
    {
        var address = JsonSerializer.Deserialize<Address>("""{"Line1":"1 Main St","Line2":null,"Country":"DE","Planet":"Earth"}""");

        Assert.Equal(new Address("1 Main St", null, "DE"), address);
    }

    /// <summary>Implements the interface directly: invoking a request needs no runtime.</summary>
    private sealed class EchoProbe : IEchoGrain
    {
        public Task<Order> Echo(Order order) => throw new NotSupportedException();
        public Task<string?> EchoNullable(string? value, int? number) => Task.FromResult<string?>(value + number);
        public Task<int[]> Sum(int[][] rows) => throw new NotSupportedException();
        public ValueTask<long> AddValue(long a, long b) => throw new NotSupportedException();
        public ValueTask Ping() => throw new NotSupportedException();
        public Task<int> IncrementVia(ICounterGrain counter) => throw new NotSupportedException();
        public Task<ICounterGrain> CounterFor(string key) => throw new NotSupportedException();
    }
}
