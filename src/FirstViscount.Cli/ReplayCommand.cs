using System.Globalization;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.Commerce;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>
/// `replay inventory-levels | order-history | clickhouse [--connection CS] [--clickhouse URL] [--clickhouse-database NAME] [--clickhouse-ca FILE]`:
/// rebuilds a read model from position 0 of the log, with a progress bar on stderr, and ends with a count.
/// inventory-levels and order-history are emptied and folded again; ClickHouse is given the whole log again (it deduplicates by event id).
/// </summary>
internal static class ReplayCommand
{
    private const string Usage = $"usage: replay <inventory-levels|order-history|clickhouse> {ServerOptions.Usage}";

    public static async Task<int> RunAsync(string[] arguments, TextWriter output, TextWriter error)
    {
        if (arguments is not [var model and ("inventory-levels" or "order-history" or "clickhouse"), .. var options])
        {
            await error.WriteLineAsync($"error: {(arguments.Length == 0 ? "name a read model" : $"unknown read model '{arguments[0]}'")}. {Usage}");
            return ExitCodes.Usage;
        }
        var servers = new ServerOptions(defaultClickHouse: "http://127.0.0.1:18123/");
        for (var i = 0; i < options.Length; i += 2)
        {
            var value = i + 1 < options.Length ? options[i + 1] : null;
            if (!servers.TryTake(options[i], value))
            {
                await error.WriteLineAsync($"error: unexpected '{options[i]}'{(value is null ? "" : $" '{value}'")}. {Usage}");
                return ExitCodes.Usage;
            }
        }
        try
        {
            await using var postgres = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(servers.Postgres) { CommandTimeout = 600 }.ConnectionString);
            await PostgresMigrator.MigrateAsync(postgres);
            var store = new PostgresEventStore(postgres);
            await using var total = postgres.CreateCommand("SELECT count(*) FROM events");
            var bar = new ProgressBar(error, (long)(await total.ExecuteScalarAsync())!);
            if (model == InventoryLevels.ModelName)
            {
                var skus = await new InventoryLevels(postgres, store, CommerceEvents.CreateSerializer()).RebuildAsync(bar);
                bar.Done();
                await output.WriteLineAsync($"inventory-levels rebuilt from {bar.Read:N0} events: {skus:N0} SKUs");
            }
            else if (model == OrderHistory.ModelName)
            {
                var orders = await new OrderHistory(postgres, store, CommerceEvents.CreateSerializer()).RebuildAsync(bar);
                bar.Done();
                await output.WriteLineAsync($"order-history rebuilt from {bar.Read:N0} events: {orders:N0} orders");
            }
            else
            {
                var clickHouse = servers.ClickHouse()!;
                var sink = new AnalyticsSink($"replay-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..40], store, clickHouse, postgres, batchSize: 20_000);
                var read = await sink.CatchUpAsync(bar);
                bar.Done();
                await output.WriteLineAsync($"clickhouse given {read:N0} events again ({clickHouse.Database}; duplicates count once)");
            }
            return ExitCodes.Success;
        }
        catch (Exception failure) when (failure is NpgsqlException or ClickHouseException or ArgumentException)
        {
            await error.WriteLineAsync($"error: cannot replay {model}: {failure.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>A one-line bar on stderr, fed the events of each page read, redrawn at most every percent.</summary>
    private sealed class ProgressBar(TextWriter writer, long total) : IProgress<long>
    {
        private int drawn = -1;

        public long Read { get; private set; }

        public void Report(long value)
        {
            Read += value;
            var percent = total == 0 ? 100 : (int)Math.Min(100, Read * 100 / total);
            if (percent != drawn)
            {
                drawn = percent;
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', percent / 5),-20}] {percent,3}% {Read:N0}/{total:N0} events"));
            }
        }

        public void Done() => writer.WriteLine();
    }
}
