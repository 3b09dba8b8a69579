using System.Diagnostics;
using System.Globalization;
using FirstViscount.Commerce;
using FirstViscount.Commerce.Seeding;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>`seed [--products N] [--connection CS]`: migrates, then loads the demo catalog with opening stock.</summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> options, TextWriter output, TextWriter error)
    {
        var products = 10_000;
        var connection = MigrateCommand.ConfiguredConnection;
        for (var i = 0; i < options.Count; i++)
        {
            switch (options[i])
            {
                case "--products" when i + 1 < options.Count && int.TryParse(options[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 10_000_000:
                    products = count;
                    i++;
                    break;
                case "--connection" when i + 1 < options.Count:
                    connection = options[++i];
                    break;
                default:
                    await error.WriteLineAsync($"error: unexpected '{options[i]}'. usage: seed [--products <1..10000000>] [--connection <connection string>]");
                    return ExitCodes.Usage;
            }
        }
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connection);
            await PostgresMigrator.MigrateAsync(dataSource);
            var clock = Stopwatch.StartNew();
            var result = await new CatalogSeeder(dataSource, new PostgresEventStore(dataSource), CommerceEvents.CreateSerializer()).SeedAsync(products);
            await output.WriteLineAsync(
                $"seeded {result.Categories} categories, {result.ProductsCreated} new products, opening stock for {result.StockStreamsCreated} SKUs in {clock.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }
        catch (Exception failure) when (failure is NpgsqlException or ArgumentException)
        {
            await error.WriteLineAsync($"error: cannot seed: {failure.Message} (is PostgreSQL running? deploy/services.sh up)");
            return ExitCodes.Failure;
        }
    }
}
