namespace FirstViscount.Cli.Tests;

[Trait("Category", "Ops")]
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_applies_every_migration_to_a_new_database_and_is_idempotent()
    {
        await using var database = await ScratchDatabase.CreateAsync();

        var first = new StringWriter();
        Assert.Equal(0, await MigrateCommand.RunAsync([database.ConnectionString], first, TextWriter.Null));
        Assert.Contains("applied 1", first.ToString());

        var second = new StringWriter();
        Assert.Equal(0, await MigrateCommand.RunAsync([database.ConnectionString], second, TextWriter.Null));
        Assert.Contains("up to date", second.ToString());
    }

    [Fact]
    public async Task An_unreachable_database_exits_1_with_a_message_saying_what_to_do()
    {
        var error = new StringWriter();

        var code = await MigrateCommand.RunAsync(["Host=127.0.0.1;Port=1;Timeout=2;Username=x;Database=y"], TextWriter.Null, error);

        Assert.Equal(1, code);
        Assert.Contains("deploy/services.sh up", error.ToString());
    }

    [Fact]
    public async Task A_malformed_connection_string_exits_2()
    {
        var error = new StringWriter();

        Assert.Equal(2, await MigrateCommand.RunAsync(["this is not a connection string"], TextWriter.Null, error));
        Assert.Contains("not a valid connection string", error.ToString());
    }
}
