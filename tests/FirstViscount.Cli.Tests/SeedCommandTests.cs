namespace FirstViscount.Cli.Tests;

[Trait("Category", "Ops")]
public sealed class SeedCommandTests
{
    [Theory]
    [InlineData("--products", "abc")]
    [InlineData("--products", "0")]
    [InlineData("--products")]
    [InlineData("--colour", "blue")]
    public async Task Bad_options_exit_2_with_the_usage(params string[] options)
    {
        var error = new StringWriter();

        Assert.Equal(2, await SeedCommand.RunAsync(options, TextWriter.Null, error));
        Assert.Contains("usage: seed", error.ToString());
    }

    [Fact]
    public async Task An_unreachable_database_exits_1()
    {
        var error = new StringWriter();

        Assert.Equal(1, await SeedCommand.RunAsync(["--products", "10", "--connection", "Host=127.0.0.1;Port=1;Timeout=2;Username=x;Database=y"], TextWriter.Null, error));
        Assert.Contains("cannot seed", error.ToString());
    }
}
