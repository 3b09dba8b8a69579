namespace FirstViscount.Runtime.Tests.Grains;

public sealed record Address(string Line1, string? Line2, string Country);

public sealed record Order(Guid Id, string Customer, decimal Total, DateTimeOffset CreatedAt, IReadOnlyList<OrderLine> Lines,
    Dictionary<string, int> Quantities, Address? Shipping, int? Priority, OrderStatus Status);

public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

public enum OrderStatus { Pending, Paid, Shipped }

public interface IEchoGrain : IGrainWithStringKey
{
    Task<Order> Echo(Order order);

    Task<string?> EchoNullable(string? value, int? number);

    Task<int[]> Sum(int[][] rows);

    ValueTask<long> AddValue(long a, long b);

    ValueTask Ping();

    /// <summary>Calls the grain it is given and returns that grain's answer.</summary>
    Task<int> IncrementVia(ICounterGrain counter);

    Task<ICounterGrain> CounterFor(string key);
}

public class EchoGrain : Grain, IEchoGrain
{
    public Task<Order> Echo(Order order) => Task.FromResult(order with { Total = order.Lines.Sum(l => l.Quantity * l.UnitPrice) });

    public Task<string?> EchoNullable(string? value, int? number) => Task.FromResult(value is null ? null : value + number);

    public Task<int[]> Sum(int[][] rows) => Task.FromResult(rows.Select(r => r.Sum()).ToArray());

    public ValueTask<long> AddValue(long a, long b) => ValueTask.FromResult(a + b);

    public ValueTask Ping() => ValueTask.CompletedTask;

    public Task<int> IncrementVia(ICounterGrain counter) => counter.Increment();

    public Task<ICounterGrain> CounterFor(string key) => Task.FromResult(GrainFactory.GetGrain<ICounterGrain>(key));
}

public interface IChainGrain : IGrainWithIntegerKey
{
    /// <summary>Calls grain (key - 1) down to zero; returns the sum of the keys on the way.</summary>
    Task<long> SumDown(long depth);
}

public class ChainGrain : Grain, IChainGrain
{
    public async Task<long> SumDown(long depth)
    {
        var key = GetPrimaryKeyLong();
        return depth == 0 ? key : key + await GrainFactory.GetGrain<IChainGrain>(key + 1).SumDown(depth - 1);
    }
}

public interface IGuidKeyedGrain : IGrainWithGuidKey
{
    Task<Guid> Key();
}

public class GuidKeyedGrain : Grain, IGuidKeyedGrain
{
    public Task<Guid> Key() => Task.FromResult(GetPrimaryKey());
}
