using System.CommandLine;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Sink;
using FirstViscount.Commerce;
using FirstViscount.Commerce.ReadModels;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>
/// `replay inventory-levels | order-history | shipments | clickhouse [--connection CS] [--clickhouse URL] [--clickhouse-database NAME] [--clickhouse-ca FILE]`:
/// rebuilds a read model from position 0 of the log, with a progress bar on stderr, and ends with a count.
/// inventory-levels, order-history and shipments are emptied and folded again; ClickHouse is given the whole log again (it deduplicates by event id).
/// </summary>
internal static class ReplayCommand
{
    private const string ClickHouseModel = "clickhouse";
    private const string DefaultClickHouse = "http://127.0.0.1:18123/";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = PostgresOptions.Connection();
        var clickHouse = new ClickHouseOptions(DefaultClickHouse);
        var model = new Argument<string>("read-model")
        {
            Description = $"what to rebuild: {InventoryLevels.ModelName} (stock per SKU, alerts, search availability), " +
                $"{OrderHistory.ModelName} (GET /v1/orders), {ShipmentList.ModelName} (GET /v1/admin/shipments), {ClickHouseModel} (the analytics facts; duplicates count once)",
        };
        model.AcceptOnlyFromAmong(InventoryLevels.ModelName, OrderHistory.ModelName, ShipmentList.ModelName, ClickHouseModel);
        var command = new Command("replay", "Rebuild a read model from the start of the event log, with a progress bar, ending with a count.") { model, connection };
        clickHouse.AddTo(command);
        command.SetAction((parsed, cancellationToken) =>
        {
            var rebuilt = parsed.GetValue(model)!;
            return RunAsync(rebuilt, parsed.GetValue(connection)!, rebuilt == ClickHouseModel ? clickHouse.Client(parsed) : null, output, error, cancellationToken);
        });
        return command;
    }

    // clickHouse is given only for the clickhouse model.
    private static async Task<int> RunAsync(string model, string connection, ClickHouseClient? clickHouse, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var postgres = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 600 }.ConnectionString);
            await PostgresMigrator.MigrateAsync(postgres, cancellationToken);
            var store = new PostgresEventStore(postgres);
            await using var total = postgres.CreateCommand("SELECT count(*) FROM events");
            var events = (long)(await total.ExecuteScalarAsync(cancellationToken))!;
            var summary = await ConsoleProgress.RunAsync(error, $"replaying into {model}", events, async counter =>
            {
                if (model == InventoryLevels.ModelName)
                {
                    var skus = await new InventoryLevels(postgres, store, CommerceEvents.CreateSerializer()).RebuildAsync(counter, cancellationToken);
                    return $"{model} rebuilt from {counter.Count:N0} events: {skus:N0} SKUs";
                }
                if (model == OrderHistory.ModelName)
                {
                    var orders = await new OrderHistory(postgres, store, CommerceEvents.CreateSerializer()).RebuildAsync(counter, cancellationToken);
                    return $"{model} rebuilt from {counter.Count:N0} events: {orders:N0} orders";
                }
                if (model == ShipmentList.ModelName)
                {
                    var shipments = await new ShipmentList(postgres, store, CommerceEvents.CreateSerializer()).RebuildAsync(counter, cancellationToken);
                    return $"{model} rebuilt from {counter.Count:N0} events: {shipments:N0} shipments";
                }
                var sink = new AnalyticsSink($"replay-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..40], store, clickHouse!, postgres, batchSize: 20_000);
                var read = await sink.CatchUpAsync(counter, cancellationToken);
                return $"{ClickHouseModel} given {read:N0} events again ({clickHouse!.Database}; duplicates count once)";
            });
            await output.WriteLineAsync(summary);
            return ExitCodes.Success;
        }
        catch (Exception failure) when (failure is NpgsqlException or ClickHouseException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: cannot replay {model}: {failure.Message}");
            return ExitCodes.Failure;
        }
    }
}
