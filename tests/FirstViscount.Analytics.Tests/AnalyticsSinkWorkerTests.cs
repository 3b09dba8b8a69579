using System.Text;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Analytics.Tests;

[Trait("Category", "Analytics")]
public sealed class AnalyticsSinkWorkerTests
{
    private static string Postgres => Backends.Postgres;

    private static ClickHouseClient ClickHouse => Backends.ClickHouse;

    private static async Task<long> PaymentsOfAsync(string orderId) =>
        long.Parse((await ClickHouse.QueryAsync(ClickHouseSql.Format("SELECT count() FROM fv_payments FINAL WHERE order_id = {0}", orderId)))[0][0]!,
            System.Globalization.CultureInfo.InvariantCulture);

    private static EventData Payment(string orderId) => new(Guid.NewGuid(), "payment.captured", 1,
        Encoding.UTF8.GetBytes($$"""{"paymentId":"{{orderId}}","orderId":"{{orderId}}","amount":9.99,"currency":"EUR"}"""), new EventMetadata());

    [Fact]
    public async Task One_worker_at_a_time_is_active_the_other_takes_over_and_a_late_commit_still_arrives()
    {
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        await ClickHouseSchema.EnsureAsync(ClickHouse);
        var store = new PostgresEventStore(dataSource);
        var name = $"worker-test-{Guid.NewGuid():N}";
        await Backends.StartAtHorizonAsync(new AnalyticsSink(name, store, ClickHouse, dataSource), dataSource);
        AnalyticsSinkWorker Worker() => new(new AnalyticsSink(name, store, ClickHouse, dataSource), Postgres, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        var (first, second) = (Worker(), Worker());
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runs = new[] { first.RunAsync(stopFirst.Token), second.RunAsync(stopSecond.Token) };

        await Backends.EventuallyAsync(() => Task.FromResult(first.IsActive || second.IsActive), "a worker is active");
        await Task.Delay(300);
        Assert.False(first.IsActive && second.IsActive, "two workers were active at once");

        // A late commit: the lower position commits after a higher one.
        var late = Guid.NewGuid().ToString("N");
        var early = Guid.NewGuid().ToString("N");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var slow = PostgresEventStore.AppendCommand($"payment-{late}", ExpectedVersion.NoStream, [Payment(late)]);
        (slow.Connection, slow.Transaction) = (connection, transaction);
        await PostgresEventStore.ExecuteAppendAsync(slow, $"payment-{late}", ExpectedVersion.NoStream, CancellationToken.None);
        await store.AppendAsync($"payment-{early}", ExpectedVersion.NoStream, [Payment(early)], CancellationToken.None);

        var (active, standby, stopActive) = first.IsActive ? (first, second, stopFirst) : (second, first, stopSecond);
        await stopActive.CancelAsync(); // the active silo goes away
        await Backends.EventuallyAsync(() => Task.FromResult(standby.IsActive), "the standby worker took over");
        Assert.False(active.IsActive);

        await transaction.CommitAsync();
        await Backends.EventuallyAsync(async () => await PaymentsOfAsync(late) == 1 && await PaymentsOfAsync(early) == 1, "both payments reached ClickHouse");

        await stopFirst.CancelAsync();
        await stopSecond.CancelAsync();
        await Task.WhenAll(runs);
    }
}
