using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Cli.Tests;

/// <summary>`firstviscount audit`: the consistency audit on demand, recorded like the silos' periodic one; its exit code says whether the data is consistent.</summary>
[Trait("Category", "Ops")]
public sealed class AuditCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> AuditAsync(params string[] options)
    {
        return await Cli.RunAsync(["audit", .. options]);
    }

    [Fact]
    public async Task A_consistent_database_exits_0_and_the_run_is_recorded()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);

        var (exitCode, output, error) = await AuditAsync("--connection", database.ConnectionString);

        Assert.True(exitCode == ExitCodes.Success, output + error);
        Assert.Contains("consistent", output);
        Assert.Contains("clickhouse-totals  skipped: ClickHouse is not configured", output);
        await using var runs = dataSource.CreateCommand("SELECT count(*) FROM audit_runs WHERE ran_by LIKE 'cli on %'");
        Assert.Equal(1L, await runs.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_inconsistency_exits_3_and_is_printed()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using (var capture = dataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload, recorded_at)
            VALUES ('payment-o-orphan', 1, gen_random_uuid(), 'payment.captured',
                    '{"paymentId": "o-orphan", "orderId": "o-orphan", "amount": 19.99, "currency": "EUR", "captureReference": "cap_1"}', now() - interval '1 hour')
            """))
        {
            await capture.ExecuteNonQueryAsync();
        }

        var (exitCode, output, _) = await AuditAsync("--connection", database.ConnectionString);

        Assert.Equal(ExitCodes.Inconsistent, exitCode);
        Assert.Contains("orders-payments    inconsistent (1)", output);
        Assert.Contains("o-orphan: a payment of 19.99 is captured for an order that does not exist", output);
    }

    [Theory]
    [InlineData("--settle-minutes", "soon")]
    [InlineData("--settle-minutes", "1441")]
    [InlineData("--clickhouse", "not a url")]
    [InlineData("--clickhouse-ca", "/no/such/ca.pem")]
    [InlineData("--verbose", null)]
    public async Task A_bad_option_exits_2_naming_it(string option, string? value)
    {
        var (exitCode, _, error) = await AuditAsync(value is null ? [option] : [option, value]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(value ?? option, error);
        Assert.Contains("firstviscount audit --help", error);
    }

    [Fact]
    public async Task An_unreachable_database_exits_1_with_a_message()
    {
        var (exitCode, _, error) = await AuditAsync("--connection", "Host=127.0.0.1;Port=9;Username=x;Password=x;Database=x;Timeout=2");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith("error: cannot audit:", error);
    }
}
