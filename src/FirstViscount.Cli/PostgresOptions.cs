using System.CommandLine;
using System.CommandLine.Parsing;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>`--connection`: the PostgreSQL a command works on; FV_POSTGRES, else the database deploy/services.sh starts.</summary>
internal static class PostgresOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=5";

    private const string Description = "PostgreSQL connection string (env FV_POSTGRES)";
    private const string HelpName = "connection string";

    private static string Configured => Environment.GetEnvironmentVariable("FV_POSTGRES") ?? DefaultPostgres;

    /// <summary>One `--connection`.</summary>
    public static Option<string> Connection()
    {
        var option = new Option<string>("--connection") { Description = Description, HelpName = HelpName, DefaultValueFactory = _ => Configured };
        option.Validators.Add(MustBeConnectionStrings);
        return option;
    }

    /// <summary>`--connection` repeated, once per shard.</summary>
    public static Option<string[]> Connections()
    {
        var option = new Option<string[]>("--connection")
        {
            Description = $"{Description}; repeat it once per shard", HelpName = HelpName, DefaultValueFactory = _ => [Configured],
        };
        option.Validators.Add(MustBeConnectionStrings);
        return option;
    }

    private static void MustBeConnectionStrings(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(token.Value);
            }
            catch (ArgumentException invalid)
            {
                result.AddError($"--connection '{token.Value}' is not a PostgreSQL connection string: {invalid.Message}");
            }
        }
    }
}
