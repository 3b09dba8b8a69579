using FirstViscount.Postgres;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.EventStore.Tests.EventStore;

[Trait("Category", "Commerce")]
public sealed class PostgresDataSourcesTests
{
    [Fact]
    public async Task Statements_are_prepared_automatically_unless_the_connection_string_says_how_many()
    {
        await using var sources = new PostgresDataSources();

        Assert.Equal(64, MaxAutoPrepare(sources.Get(TestServers.Postgres)));
        Assert.Equal(0, MaxAutoPrepare(sources.Get($"{TestServers.Postgres};Max Auto Prepare=0")));
        Assert.Equal(8, MaxAutoPrepare(sources.Get($"{TestServers.Postgres};Max Auto Prepare=8")));
    }

    [Fact]
    public async Task Through_pgbouncer_in_transaction_pooling_without_prepared_statements_every_statement_answers()
    {
        var throughPgBouncer = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Port = TestServers.PgBouncerPort, MaxAutoPrepare = 0, NoResetOnClose = true };
        await using var sources = new PostgresDataSources();
        var dataSource = sources.Get(throughPgBouncer.ConnectionString);

        // Far more repetitions than PostgreSQL needs to prepare, over many server connections PgBouncer rotates.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = 0; i < 50; i++)
            {
                await using var command = dataSource.CreateCommand("SELECT $1::int + 1");
                command.Parameters.Add(new NpgsqlParameter { Value = i });
                Assert.Equal(i + 1, (int)(await command.ExecuteScalarAsync())!);
            }
        }));
    }

    private static int MaxAutoPrepare(NpgsqlDataSource dataSource) => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare;
}
