namespace FirstViscount.Cli.Tests;

/// <summary>What an operator sees before running anything: help for the tool and every command.</summary>
[Trait("Category", "Ops")]
public sealed class HelpTests
{
    private static readonly string[] CommandNames = ["migrate", "seed", "archive-events", "audit", "replay"];

    public static TheoryData<string> Commands => new(CommandNames);

    [Fact]
    public async Task No_arguments_prints_the_help_naming_every_command_and_the_environment()
    {
        var (exitCode, output, _) = await Cli.RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output);
        Assert.All(CommandNames, command => Assert.Contains($"  {command}", output));
        Assert.Contains("FV_POSTGRES", output);
        Assert.Contains("FV_CLICKHOUSE", output);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_on_every_command_exits_0_naming_the_environment_variable_and_the_default_connection(string command)
    {
        var (exitCode, output, error) = await Cli.RunAsync(command, "--help");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Matches($@"Usage:\s+\S+ {command}", output);
        Assert.Contains("--connection <connection string>", output);
        Assert.Contains("(env FV_POSTGRES)", output);
        Assert.Contains($"[default: {Environment.GetEnvironmentVariable("FV_POSTGRES") ?? PostgresOptions.DefaultPostgres}]", output);
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("replay")]
    public async Task Commands_that_use_ClickHouse_name_its_environment_variable(string command)
    {
        var (_, output, _) = await Cli.RunAsync(command, "--help");

        Assert.Contains("--clickhouse <url>", output);
        Assert.Contains("(env FV_CLICKHOUSE)", output);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_naming_it()
    {
        var (exitCode, output, error) = await Cli.RunAsync("frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains("'frobnicate'", error);
    }
}
