using System.CommandLine;
using System.CommandLine.Parsing;
using FirstViscount.Analytics.ClickHouse;
using Npgsql;

namespace FirstViscount.Cli;

/// <summary>
/// The servers a command talks to: `--connection` (PostgreSQL; FV_POSTGRES, else the database deploy/services.sh
/// starts), and, for commands that use ClickHouse, `--clickhouse` (FV_CLICKHOUSE), `--clickhouse-database`, `--clickhouse-ca`.
/// </summary>
internal sealed class ServerOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=5";

    private readonly Option<string>? clickHouseUrl;
    private readonly Option<string>? clickHouseDatabase;
    private readonly Option<FileInfo>? clickHouseAuthority;

    /// <param name="defaultClickHouse">The ClickHouse a command uses when neither --clickhouse nor FV_CLICKHOUSE names one (null: none).</param>
    /// <param name="withClickHouse">Whether the command takes the ClickHouse options at all.</param>
    public ServerOptions(bool withClickHouse, string? defaultClickHouse = null)
    {
        Postgres = ConnectionOption();
        if (!withClickHouse)
        {
            return;
        }
        var fallback = Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? defaultClickHouse;
        clickHouseUrl = new Option<string>("--clickhouse")
        {
            Description = $"ClickHouse HTTP(S) URL (env FV_CLICKHOUSE){(defaultClickHouse is null ? "; without one, ClickHouse is not used" : "")}",
            HelpName = "url",
        };
        if (fallback is not null)
        {
            clickHouseUrl.DefaultValueFactory = _ => fallback;
        }
        clickHouseUrl.Validators.Add(MustBeHttpUrl);
        clickHouseDatabase = new Option<string>("--clickhouse-database")
        {
            Description = "ClickHouse database", HelpName = "name", DefaultValueFactory = _ => "default",
        };
        clickHouseAuthority = new Option<FileInfo>("--clickhouse-ca")
        {
            Description = "PEM file of the CA that signed ClickHouse's HTTPS certificate", HelpName = "file",
        };
        clickHouseAuthority.AcceptExistingOnly();
    }

    public Option<string> Postgres { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Postgres);
        foreach (var option in new Option?[] { clickHouseUrl, clickHouseDatabase, clickHouseAuthority }.OfType<Option>())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The ClickHouse client the command line names, or null when it names none.</summary>
    public ClickHouseClient? ClickHouse(ParseResult parsed) =>
        clickHouseUrl is null || parsed.GetValue(clickHouseUrl) is not { } url
            ? null
            : new ClickHouseClient(ClickHouseHttp.Create(new Uri(url), TimeSpan.FromMinutes(5), parsed.GetValue(clickHouseAuthority!)?.FullName),
                parsed.GetValue(clickHouseDatabase!)!);

    /// <summary>The database a command uses when --connection is not given: FV_POSTGRES, else the one deploy/services.sh starts.</summary>
    public static string ConfiguredPostgres => Environment.GetEnvironmentVariable("FV_POSTGRES") ?? DefaultPostgres;

    public const string ConnectionDescription = "PostgreSQL connection string (env FV_POSTGRES)";

    /// <summary>Adds an error for each value of a `--connection` option that Npgsql cannot read.</summary>
    public static void MustBeConnectionStrings(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (!IsConnectionString(token.Value, out var reason))
            {
                result.AddError($"--connection '{token.Value}' is not a PostgreSQL connection string: {reason}");
            }
        }
    }

    private static Option<string> ConnectionOption()
    {
        var option = new Option<string>("--connection")
        {
            Description = ConnectionDescription, HelpName = "connection string", DefaultValueFactory = _ => ConfiguredPostgres,
        };
        option.Validators.Add(MustBeConnectionStrings);
        return option;
    }

    private static bool IsConnectionString(string value, out string reason)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            reason = "";
            return true;
        }
        catch (ArgumentException invalid)
        {
            reason = invalid.Message;
            return false;
        }
    }

    private static void MustBeHttpUrl(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (!Uri.TryCreate(token.Value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                result.AddError($"--clickhouse '{token.Value}' is not an http:// or https:// URL");
            }
        }
    }
}
