using Npgsql;

namespace FirstViscount.Cli.Tests;

[Trait("Category", "Ops")]
public sealed class SeedCommandTests
{
    [Theory]
    [InlineData("'abc'", "--products", "abc")]
    [InlineData("'0'", "--products", "0")]
    [InlineData("'10000001'", "--products", "10000001")]
    [InlineData("'--products'", "--products")]
    [InlineData("'--colour'", "--colour", "blue")]
    public async Task Bad_options_exit_2_naming_the_value(string named, params string[] options)
    {
        var (exitCode, output, error) = await Cli.RunAsync(["seed", .. options]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains(named, error);
        Assert.Contains("firstviscount seed --help", error);
    }

    [Fact]
    public async Task Seeding_loads_the_products_with_a_progress_report_and_a_second_run_adds_nothing()
    {
        await using var database = await ScratchDatabase.CreateAsync();

        var first = await Cli.RunAsync("seed", "--products", "1500", "--connection", database.ConnectionString);
        var second = await Cli.RunAsync("seed", "--products", "1500", "--connection", database.ConnectionString);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("1500 new products, opening stock for 1500 SKUs", first.Output);
        Assert.Contains("seeding products: 1,500 of 1,500 (100%)", first.Error);
        Assert.Contains(", 0 new products, opening stock for 0 SKUs", second.Output);
        await using var products = NpgsqlDataSource.Create(database.ConnectionString).CreateCommand("SELECT count(*) FROM products");
        Assert.Equal(1500L, await products.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_unreachable_database_exits_1()
    {
        var (exitCode, _, error) = await Cli.RunAsync("seed", "--products", "10", "--connection", "Host=127.0.0.1;Port=1;Timeout=2;Username=x;Database=y");

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot seed", error);
    }
}
