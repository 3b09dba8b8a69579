using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Queries;
using FirstViscount.Analytics.Sink;
using Microsoft.Extensions.DependencyInjection;
using FirstViscount.EventSourcing;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using Npgsql;

namespace FirstViscount.Benchmarks;

/// <summary>
/// sink: events/s from the PostgreSQL event log into the ClickHouse fact tables through the silo's sink (the event-log
/// stream provider and its consumer grains, in one silo), from the silo's start until every queue's checkpoint is at
/// the end of a backlog, and again from its first checkpoint (a running sink, without the silo's start), against the
/// same rows moved without it (PostgreSQL COPY ... TO STDOUT streamed into one ClickHouse insert). Then freshness: a
/// steady 2,000 events/s appended to the same silo; p50/p99 of event commit to queryable, against the p99 of a raw
/// ClickHouse insert of the same rows (the floor of any design).
/// </summary>
internal static class SinkBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var events = quick ? 400_000 : 2_000_000;
        var postgres = await BenchClickHouse.FreshPostgresAsync("fv_bench_sink");
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        var clickHouse = await BenchClickHouse.FreshDatabaseAsync("fv_bench_sink");
        await GenerateAsync(dataSource, events);

        await WarmUpAsync(dataSource, events / 10);
        await QuiesceAsync(clickHouse);
        var anchor = await CopyIntoClickHouseAsync(dataSource, clickHouse, events);
        await QuiesceAsync(clickHouse);
        var clock = Stopwatch.StartNew();
        var firstDelivery = FirstDeliveryAsync(dataSource, clock);
        await using var silo = await BenchSilo.StartAsync(orleans =>
        {
            orleans.Services.AddSingleton(clickHouse);
            orleans.AddEventLogStreams(AnalyticsStreams.ProviderName);
            orleans.AddClickHouseSink(new AnalyticsStreamsOptions());
        }, postgres: postgres);
        await WaitUntilDeliveredAsync(dataSource);
        var perSecond = events / clock.Elapsed.TotalSeconds;
        var (firstAt, deliveredThen) = await firstDelivery;
        var perSecondDelivering = (events - deliveredThen) / (clock.Elapsed - firstAt).TotalSeconds;
        Console.Error.WriteLine($"sink: first checkpoint {firstAt.TotalSeconds:0.00} s after the silo's start, with {deliveredThen:N0} events delivered");
        var rows = long.Parse((await clickHouse.QueryAsync("SELECT count() FROM fv_payments FINAL"))[0][0]!, System.Globalization.CultureInfo.InvariantCulture);
        if (rows != events / 4)
        {
            throw new InvalidOperationException($"The sink delivered {rows} payments of {events / 4}.");
        }
        Console.Error.WriteLine($"sink: {events:N0} events in {clock.Elapsed.TotalSeconds:0.00} s; anchor {anchor:N0} rows/s");

        var (p50, p99, rawP99) = await FreshnessAsync(dataSource, clickHouse, TimeSpan.FromSeconds(quick ? 15 : 60));
        return
        [
            new BenchResult("sink/throughput", perSecond, "events/s", "PostgreSQL COPY TO STDOUT streamed into one ClickHouse insert", anchor),
            new BenchResult("sink/throughput-delivering", perSecondDelivering, "events/s", "PostgreSQL COPY TO STDOUT streamed into one ClickHouse insert", anchor),
            new BenchResult("sink/freshness-p50", p50, "ms", "raw ClickHouse insert p99", rawP99),
            new BenchResult("sink/freshness-p99", p99, "ms", "raw ClickHouse insert p99", rawP99),
        ];
    }

    /// <summary>
    /// Runs a throwaway sink over the first events into another database, so the measured run sees compiled
    /// (tiered-up) code, as a sink that has been running does, and not the JIT's first tier.
    /// </summary>
    private static async Task WarmUpAsync(NpgsqlDataSource dataSource, int events)
    {
        var scratch = await BenchClickHouse.FreshDatabaseAsync("fv_bench_sink_warm");
        var warm = new AnalyticsSink("bench-warm-up", new PostgresEventStore(dataSource), scratch, dataSource, batchSize: 20_000);
        for (var moved = 0; moved < events;)
        {
            moved += await warm.RunOnceAsync();
        }
        await scratch.ForDatabase("default").ExecuteAsync($"DROP DATABASE {scratch.Database}");
    }

    /// <summary>Waits (up to 20 s) until ClickHouse has no merges running, so one measurement does not pay for the last one's.</summary>
    private static async Task QuiesceAsync(ClickHouseClient clickHouse)
    {
        for (var waited = 0; waited < 200 && (await clickHouse.QueryAsync("SELECT count() FROM system.merges"))[0][0] != "0"; waited++)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>A shop's mix: per order, placed, a reservation, a capture, confirmed (2 lines each).</summary>
    private static async Task GenerateAsync(NpgsqlDataSource dataSource, int events)
    {
        var clock = Stopwatch.StartNew();
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload)
            SELECT 'bench-' || (g / 4), g % 4 + 1, gen_random_uuid(),
                   (ARRAY['order.placed', 'inventory.stock-reserved', 'payment.captured', 'order.confirmed'])[g % 4 + 1],
                   CASE g % 4
                       WHEN 1 THEN jsonb_build_object('sku', 'SKU-' || (g % 5000), 'orderId', 'o' || (g / 4), 'quantity', 2)
                       WHEN 2 THEN jsonb_build_object('paymentId', 'o' || (g / 4), 'orderId', 'o' || (g / 4), 'amount', 24.48, 'currency', 'EUR')
                       ELSE jsonb_build_object('orderId', 'o' || (g / 4), 'customerId', 'c' || (g % 1000), 'total', 24.48, 'currency', 'EUR',
                           'lines', jsonb_build_array(
                               jsonb_build_object('sku', 'SKU-' || (g % 5000), 'name', 'Mug', 'quantity', 2, 'unitPrice', 9.99),
                               jsonb_build_object('sku', 'SKU-' || ((g + 7) % 5000), 'name', 'Tea', 'quantity', 1, 'unitPrice', 4.50)))
                   END
            FROM generate_series(0, $1 - 1) AS g
            """);
        insert.CommandTimeout = 600;
        insert.Parameters.Add(new NpgsqlParameter { Value = events });
        await insert.ExecuteNonQueryAsync();
        // As a table that has been in use is: vacuumed and analysed, so autovacuum does not run during the measurement.
        await using var vacuum = dataSource.CreateCommand("VACUUM ANALYZE events");
        vacuum.CommandTimeout = 600;
        await vacuum.ExecuteNonQueryAsync();
        Console.Error.WriteLine($"sink: generated {events:N0} events in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The anchor: the same event rows, PostgreSQL's COPY text piped straight into one ClickHouse TabSeparated insert.</summary>
    private static async Task<double> CopyIntoClickHouseAsync(NpgsqlDataSource dataSource, ClickHouseClient clickHouse, int events)
    {
        await clickHouse.ExecuteAsync("""
            CREATE TABLE bench_raw_events (position Int64, event_id UUID, stream_id String, event_type String, payload String, recorded_at DateTime('UTC'))
            ENGINE = MergeTree() ORDER BY position
            """);
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        using var copy = await connection.BeginTextExportAsync("""
            COPY (SELECT position, event_id, stream_id, event_type, payload, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                  FROM events ORDER BY transaction_id, position) TO STDOUT
            """);
        var query = Uri.EscapeDataString("INSERT INTO bench_raw_events FORMAT TabSeparated");
        using var response = await BenchClickHouse.Http.PostAsync($"?database={clickHouse.Database}&query={query}", new TextReaderContent(copy));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = long.Parse((await clickHouse.QueryAsync("SELECT count() FROM bench_raw_events"))[0][0]!, System.Globalization.CultureInfo.InvariantCulture);
        if (rows != events)
        {
            throw new InvalidOperationException($"The anchor moved {rows} rows of {events}.");
        }
        return events / seconds;
    }

    /// <summary>
    /// When the first queue's checkpoint is written (the silo started, its queues balanced, a first batch delivered),
    /// and how many events were delivered by then: the rest is the rate of a running sink, without the silo's start.
    /// </summary>
    private static async Task<(TimeSpan At, long Delivered)> FirstDeliveryAsync(NpgsqlDataSource dataSource, Stopwatch clock)
    {
        await using var any = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM stream_checkpoints WHERE provider = $1)");
        any.Parameters.Add(new NpgsqlParameter { Value = AnalyticsStreams.ProviderName });
        while (!(bool)(await any.ExecuteScalarAsync())!)
        {
            await Task.Delay(20);
        }
        var at = clock.Elapsed;
        await using var delivered = dataSource.CreateCommand("""
            SELECT count(*) FROM events e JOIN stream_checkpoints c ON c.provider = $1 AND c.queue = e.log_partition
            WHERE (e.transaction_id, e.position) <= (c.transaction_id, c.position)
            """);
        delivered.Parameters.Add(new NpgsqlParameter { Value = AnalyticsStreams.ProviderName });
        return (at, (long)(await delivered.ExecuteScalarAsync())!);
    }

    /// <summary>Waits until no event is after its queue's checkpoint (every batch delivered, so in ClickHouse).</summary>
    private static async Task WaitUntilDeliveredAsync(NpgsqlDataSource dataSource)
    {
        while (!await SinkFreshness.CaughtUpAsync(dataSource))
        {
            await Task.Delay(50);
        }
    }

    private static async Task<(double P50, double P99, double RawP99)> FreshnessAsync(NpgsqlDataSource dataSource, ClickHouseClient clickHouse, TimeSpan duration)
    {
        var samples = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ClickHouseDelivery.MeterName && instrument.Name == "fv.analytics.freshness")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (samples)
            {
                samples.Add(seconds * 1000);
            }
        });
        listener.Start();

        var store = new PostgresEventStore(dataSource);
        var raw = new List<double>();
        await clickHouse.ExecuteAsync("CREATE TABLE bench_raw_payments AS fv_payments");
        var next = Stopwatch.GetTimestamp();
        var end = DateTime.UtcNow + duration;
        var tick = 0;
        while (DateTime.UtcNow < end)
        {
            // 2,000 events/s: 20 payments every 10 ms.
            var batch = Enumerable.Range(0, 20).Select(i => new EventData(Guid.NewGuid(), "payment.captured", 1,
                Encoding.UTF8.GetBytes($$"""{"paymentId":"f{{tick}}-{{i}}","orderId":"f{{tick}}-{{i}}","amount":9.99,"currency":"EUR"}"""), new EventMetadata())).ToList();
            await store.AppendAsync($"fresh-{tick}", ExpectedVersion.NoStream, batch, CancellationToken.None);
            if (tick % 10 == 0)
            {
                var insert = Stopwatch.StartNew();
                await clickHouse.InsertAsync("bench_raw_payments", ["event_id", "payment_id", "order_id", "kind", "amount", "currency", "occurred_at"],
                    batch.Select(e => new object?[] { e.EventId, "p", "o", "captured", 9.99m, "EUR", DateTimeOffset.UtcNow }));
                raw.Add(insert.Elapsed.TotalMilliseconds);
            }
            tick++;
            next += Stopwatch.Frequency / 100;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the last ones arrive
        listener.Dispose();
        Console.Error.WriteLine($"sink: freshness over {samples.Count:N0} events appended at {tick * 20 / duration.TotalSeconds:N0}/s");
        return (Percentile(samples, 0.50), Percentile(samples, 0.99), Percentile(raw, 0.99));
    }

    private static double Percentile(List<double> values, double p)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values[Math.Min(values.Count - 1, (int)(p * values.Count))];
    }

    /// <summary>Streams a TextReader (COPY's output) as a request body.</summary>
    private sealed class TextReaderContent(TextReader reader) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            var buffer = new char[1 << 16];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
