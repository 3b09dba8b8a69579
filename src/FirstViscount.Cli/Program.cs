using FirstViscount.Cli;

const string usage = """
    usage: firstviscount <command> [options]

    commands:
      migrate [--connection <connection string>]...   apply pending PostgreSQL migrations (once per shard)
      seed [--products <count>] [--connection <cs>]     load a demo catalog with opening stock (idempotent)
      archive-events --to <dir> [--older-than-days <n>] [--connection <cs>]
                                                        move order and payment streams older than 7 years
                                                        (or n days) to a gzip JSON-lines file in <dir>
      audit [--connection <cs>] [--clickhouse <url>] [--clickhouse-database <name>] [--clickhouse-ca <file>]
            [--settle-minutes <n>]                      check the data against itself now and record the run
                                                        (exit 0: consistent, 3: inconsistencies; FV_CLICKHOUSE
                                                        gives the ClickHouse URL when --clickhouse is not set)
      replay <inventory-levels|order-history|clickhouse> [--connection <cs>] [--clickhouse <url>] [--clickhouse-database <name>]
                                                        rebuild a read model from the start of the event log
    """;

if (args is ["migrate", .. var rest])
{
    var connections = new List<string>();
    for (var i = 0; i < rest.Length; i++)
    {
        if (rest[i] == "--connection" && i + 1 < rest.Length)
        {
            connections.Add(rest[++i]);
            continue;
        }
        Console.Error.WriteLine($"error: unknown option '{rest[i]}'.\n{usage}");
        return ExitCodes.Usage;
    }
    return await MigrateCommand.RunAsync(connections, Console.Out, Console.Error);
}
if (args is ["seed", .. var options])
{
    return await SeedCommand.RunAsync(options, Console.Out, Console.Error);
}
if (args is ["archive-events", .. var archiveOptions])
{
    return await ArchiveEventsCommand.RunAsync(archiveOptions, Console.Out, Console.Error);
}
if (args is ["audit", .. var auditOptions])
{
    return await AuditCommand.RunAsync(auditOptions, Console.Out, Console.Error);
}
if (args is ["replay", .. var replayArguments])
{
    return await ReplayCommand.RunAsync(replayArguments, Console.Out, Console.Error);
}
Console.Error.WriteLine(args.Length == 0 ? usage : $"error: unknown command '{args[0]}'.\n{usage}");
return ExitCodes.Usage;
