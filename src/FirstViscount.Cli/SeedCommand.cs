using System.CommandLine;
using System.Diagnostics;
using FirstViscount.Commerce;
using FirstViscount.Commerce.Seeding;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>`seed [--products N] [--connection CS]`: migrates, then loads the demo catalog with opening stock.</summary>
internal static class SeedCommand
{
    private const int MaxProducts = 10_000_000;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var connection = PostgresOptions.Connection();
        var products = WholeNumberOption.Create("--products", "number of products; SKUs SKU-0000001 onwards", "count", 1, MaxProducts, 10_000);
        var command = new Command("seed", "Load a demo catalog (categories, products, prices) with opening stock. Idempotent: running it again adds nothing.")
        {
            products, connection,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(products), parsed.GetValue(connection)!, output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int products, string connection, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            await PostgresMigrator.MigrateAsync(dataSource, cancellationToken);
            var clock = Stopwatch.StartNew();
            var seeder = new CatalogSeeder(dataSource, new PostgresEventStore(dataSource), CommerceEvents.CreateSerializer());
            var result = await ConsoleProgress.RunAsync(error, "seeding products", products,
                counter => seeder.SeedAsync(products, progress: counter, cancellationToken: cancellationToken));
            await output.WriteLineAsync(
                $"seeded {result.Categories} categories, {result.ProductsCreated} new products, opening stock for {result.StockStreamsCreated} SKUs in {clock.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }
        catch (NpgsqlException failure)
        {
            await error.WriteLineAsync($"error: cannot seed: {failure.Message} (is PostgreSQL running? deploy/services.sh up)");
            return ExitCodes.Failure;
        }
    }
}
