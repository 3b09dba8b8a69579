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
/// sink: events/s from append to queryable through the silo's sink (the event-log stream provider and its consumer
/// grains, in one running silo): a backlog appended in one transaction, timed from its commit until every queue's
/// checkpoint is past it (so every event is in the ClickHouse fact tables), against the same rows moved without it
/// (PostgreSQL COPY ... TO STDOUT streamed into one ClickHouse insert). Then freshness: a steady 2,000 events/s
/// appended to the same silo; p50/p99 of event commit to queryable, against the p99 of a raw ClickHouse insert of the
/// same rows (the floor of any design).
/// </summary>
internal static class SinkBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var (warmUp, events) = (40_000, quick ? 400_000 : 2_000_000);
        var postgres = await BenchClickHouse.FreshPostgresAsync("fv_bench_sink");
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await PostgresMigrator.MigrateAsync(dataSource);
        var clickHouse = await BenchClickHouse.FreshDatabaseAsync("fv_bench_sink");
        await using var silo = await BenchSilo.StartAsync(orleans =>
        {
            orleans.Services.AddSingleton(clickHouse);
            orleans.AddEventLogStreams(AnalyticsStreams.ProviderName);
            orleans.AddClickHouseSink(new AnalyticsStreamsOptions());
        }, postgres: postgres);

        // A running sink: its code compiled (tiered up) on a first backlog, as a sink that has been running has.
        await GenerateAsync(dataSource, 0, warmUp);
        await WaitUntilDeliveredAsync(dataSource);
        await VacuumAsync(dataSource);
        await QuiesceAsync(clickHouse);

        var clock = await GenerateAsync(dataSource, warmUp, events);
        await WaitUntilDeliveredAsync(dataSource);
        var perSecond = events / clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"sink: {events:N0} events from their commit to queryable in {clock.Elapsed.TotalSeconds:0.00} s");
        var rows = long.Parse((await clickHouse.QueryAsync("SELECT count() FROM fv_payments FINAL"))[0][0]!, System.Globalization.CultureInfo.InvariantCulture);
        if (rows != (warmUp + events) / 4)
        {
            throw new InvalidOperationException($"The sink delivered {rows} payments of {(warmUp + events) / 4}.");
        }

        await VacuumAsync(dataSource);
        await QuiesceAsync(clickHouse);
        // The better of two runs: the anchor is the ceiling the sink is held to, so it does not get a bad run's figure.
        var anchor = 0.0;
        for (var run = 0; run < 2; run++)
        {
            anchor = Math.Max(anchor, await CopyIntoClickHouseAsync(dataSource, clickHouse, warmUp + events));
            await QuiesceAsync(clickHouse);
        }
        Console.Error.WriteLine($"sink: anchor {anchor:N0} rows/s (the better of two runs)");

        var (p50, p99, rawP99) = await FreshnessAsync(dataSource, clickHouse, TimeSpan.FromSeconds(quick ? 15 : 60));
        return
        [
            new BenchResult("sink/throughput", perSecond, "events/s", "PostgreSQL COPY TO STDOUT streamed into one ClickHouse insert", anchor),
            new BenchResult("sink/freshness-p50", p50, "ms", "raw ClickHouse insert p99", rawP99),
            new BenchResult("sink/freshness-p99", p99, "ms", "raw ClickHouse insert p99", rawP99),
        ];
    }

    /// <summary>Waits (up to 20 s) until ClickHouse has no merges running, so one measurement does not pay for the last one's.</summary>
    private static async Task QuiesceAsync(ClickHouseClient clickHouse)
    {
        for (var waited = 0; waited < 200 && (await clickHouse.QueryAsync("SELECT count() FROM system.merges"))[0][0] != "0"; waited++)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Appends events number <paramref name="first"/> onwards in one transaction, a shop's mix: per order, placed, a
    /// reservation, a capture, confirmed (2 lines each). Returns a clock started at its commit.
    /// </summary>
    private static async Task<Stopwatch> GenerateAsync(NpgsqlDataSource dataSource, int first, int events)
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
            FROM generate_series($1, $1 + $2 - 1) AS g
            """);
        insert.CommandTimeout = 600;
        insert.Parameters.Add(new NpgsqlParameter { Value = first });
        insert.Parameters.Add(new NpgsqlParameter { Value = events });
        await insert.ExecuteNonQueryAsync();
        Console.Error.WriteLine($"sink: appended {events:N0} events in {clock.Elapsed.TotalSeconds:0.0} s");
        return Stopwatch.StartNew();
    }

    /// <summary>Vacuums and analyses the log as a table in use is, so autovacuum does not run during a measurement.</summary>
    private static async Task VacuumAsync(NpgsqlDataSource dataSource)
    {
        await using var vacuum = dataSource.CreateCommand("VACUUM ANALYZE events");
        vacuum.CommandTimeout = 600;
        await vacuum.ExecuteNonQueryAsync();
    }

    /// <summary>The anchor: the same event rows, PostgreSQL's COPY text piped straight into one ClickHouse TabSeparated insert.</summary>
    private static async Task<double> CopyIntoClickHouseAsync(NpgsqlDataSource dataSource, ClickHouseClient clickHouse, int events)
    {
        await clickHouse.ExecuteAsync("DROP TABLE IF EXISTS bench_raw_events");
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
