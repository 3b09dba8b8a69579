using System.CommandLine;
using System.CommandLine.Parsing;
using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Cli;

/// <summary>`--clickhouse` (FV_CLICKHOUSE), `--clickhouse-database`, `--clickhouse-ca`: the ClickHouse a command talks to.</summary>
internal sealed class ClickHouseOptions
{
    private readonly Option<string> url;
    private readonly Option<string> database = new("--clickhouse-database") { Description = "ClickHouse database", HelpName = "name", DefaultValueFactory = _ => "default" };
    private readonly Option<FileInfo> authority = new Option<FileInfo>("--clickhouse-ca")
    {
        Description = "PEM file of the CA that signed ClickHouse's HTTPS certificate", HelpName = "file",
    }.AcceptExistingOnly();

    /// <param name="defaultUrl">The ClickHouse used when neither --clickhouse nor FV_CLICKHOUSE names one (null: none).</param>
    public ClickHouseOptions(string? defaultUrl)
    {
        url = new Option<string>("--clickhouse")
        {
            Description = $"ClickHouse HTTP(S) URL (env FV_CLICKHOUSE){(defaultUrl is null ? "; without one, ClickHouse is not used" : "")}",
            HelpName = "url",
        };
        if ((Environment.GetEnvironmentVariable("FV_CLICKHOUSE") ?? defaultUrl) is { } fallback)
        {
            url.DefaultValueFactory = _ => fallback;
        }
        url.Validators.Add(MustBeHttpUrl);
    }

    public void AddTo(Command command)
    {
        command.Options.Add(url);
        command.Options.Add(database);
        command.Options.Add(authority);
    }

    /// <summary>The ClickHouse client the command line names, or null when it names none.</summary>
    public ClickHouseClient? Client(ParseResult parsed) =>
        parsed.GetValue(url) is not { } address
            ? null
            : new ClickHouseClient(ClickHouseHttp.Create(new Uri(address), TimeSpan.FromMinutes(5), parsed.GetValue(authority)?.FullName), parsed.GetValue(database)!);

    private static void MustBeHttpUrl(OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (!Uri.TryCreate(token.Value, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                result.AddError($"--clickhouse '{token.Value}' is not an http:// or https:// URL");
            }
        }
    }
}
