namespace FirstViscount.Cli.Tests;

[Trait("Category", "Ops")]
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_applies_every_migration_to_a_new_database_and_is_idempotent()
    {
        await using var database = await ScratchDatabase.CreateAsync();

        var first = await Cli.RunAsync("migrate", "--connection", database.ConnectionString);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied 1", first.Output);

        var second = await Cli.RunAsync("migrate", "--connection", database.ConnectionString);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("up to date", second.Output);
    }

    [Fact]
    public async Task An_unreachable_database_exits_1_with_a_message_saying_what_to_do()
    {
        var (code, _, error) = await Cli.RunAsync("migrate", "--connection", "Host=127.0.0.1;Port=1;Timeout=2;Username=x;Database=y");

        Assert.Equal(1, code);
        Assert.Contains("deploy/services.sh up", error);
    }

    [Fact]
    public async Task A_malformed_connection_string_exits_2()
    {
        var (code, _, error) = await Cli.RunAsync("migrate", "--connection", "this is not a connection string");

        Assert.Equal(2, code);
        Assert.Contains("--connection 'this is not a connection string' is not a PostgreSQL connection string", error);
    }
}
