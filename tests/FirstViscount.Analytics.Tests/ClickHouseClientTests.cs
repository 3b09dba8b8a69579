using FirstViscount.Analytics.ClickHouse;

namespace FirstViscount.Analytics.Tests;

[Trait("Category", "Analytics")]
public sealed class ClickHouseClientTests
{
    private static ClickHouseClient Client() => Backends.ClickHouse;

    private static async Task<string> TableAsync(ClickHouseClient client, string columns, string engine = "MergeTree() ORDER BY tuple()")
    {
        var table = $"t_{Guid.NewGuid():N}";
        await client.ExecuteAsync($"CREATE TABLE {table} ({columns}) ENGINE = {engine}");
        return table;
    }

    [Fact]
    public async Task Rows_with_tabs_newlines_quotes_backslashes_and_unicode_round_trip_exactly()
    {
        var client = Client();
        var table = await TableAsync(client, "id UInt32, text String, amount Decimal(18,2), at DateTime, maybe Nullable(String)");
        string[] awkward = ["plain", "tab\there", "new\nline", "quote ' and \" both", @"back\slash", "nul\0byte", "Grüße, 東京, 🚀", ""];

        await client.InsertAsync(table, ["id", "text", "amount", "at", "maybe"],
            awkward.Select((text, i) => new object?[] { i, text, 1234.56m + i, new DateTimeOffset(2026, 11, 21, 10, 0, i, TimeSpan.Zero), i % 2 == 0 ? null : text }));

        var rows = await client.QueryAsync($"SELECT id, text, amount, toString(at), maybe FROM {table} ORDER BY id");
        Assert.Equal(awkward, rows.Select(r => r[1]));
        Assert.Equal("1241.56", rows[7][2]);
        Assert.Equal("2026-11-21 10:00:03", rows[3][3]);
        Assert.Null(rows[0][4]);
        Assert.Equal("tab\there", rows[1][4]);
        await client.ExecuteAsync($"DROP TABLE {table}");
    }

    [Fact]
    public async Task Rows_that_outgrow_their_buffer_or_span_many_chunks_arrive_whole_and_in_order()
    {
        var client = Client();
        var table = await TableAsync(client, "id UInt32, text String", "MergeTree() ORDER BY id");
        var texts = Enumerable.Range(0, 20_000).Select(i => $"row {i} {new string('x', i % 50)}\t").ToList();

        // Streamed in 64 KB chunks (one buffer, cleared after each), then pre-built parts whose buffers start at 16 bytes.
        await client.InsertAsync(table, ["id", "text"], texts.Take(10_000).Select((text, i) => new object?[] { i, text }));
        using var first = new TabSeparatedRows(16);
        using var second = new TabSeparatedRows(16);
        for (var i = 10_000; i < texts.Count; i++)
        {
            (i < 15_000 ? first : second).Number(i).Text(texts[i]).EndRow();
        }
        await client.InsertAsync(table, ["id", "text"], [first, second]);

        var rows = await client.QueryAsync($"SELECT id, text FROM {table} ORDER BY id");
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Equal(texts, rows.Select(r => r[1]));
        first.Dispose();
        Assert.Equal(0, first.Count);
        Assert.True(first.Written.IsEmpty);
        await client.ExecuteAsync($"DROP TABLE {table}");
    }

    [Fact]
    public async Task Values_formatted_as_literals_cannot_change_the_statement()
    {
        var client = Client();
        var table = await TableAsync(client, "name String");
        var hostile = "x'); DROP TABLE " + table + "; --\\";
        await client.ExecuteAsync(ClickHouseSql.Format($"INSERT INTO {table} VALUES ({{0}})", hostile));

        var rows = await client.QueryAsync(ClickHouseSql.Format($"SELECT count() FROM {table} WHERE name = {{0}}", hostile));

        Assert.Equal("1", rows[0][0]);
        Assert.Throws<ArgumentException>(() => ClickHouseClient.Identifier("events; DROP TABLE x"));
        await client.ExecuteAsync($"DROP TABLE {table}");
    }

    [Fact]
    public async Task ClickHouse_errors_carry_its_code_and_text_and_an_unreachable_server_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<ClickHouseException>(() => Client().QueryAsync("SELECT * FROM no_such_table_here"));
        Assert.Equal(60, error.Code);
        Assert.Contains("no_such_table_here", error.Message);

        var down = new ClickHouseClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/"), Timeout = TimeSpan.FromSeconds(5) });
        var unreachable = await Assert.ThrowsAsync<ClickHouseException>(() => down.QueryAsync("SELECT 1"));
        Assert.Null(unreachable.Code);
        Assert.Contains("cannot be reached", unreachable.Message);
    }

    [Fact]
    public async Task A_replacing_merge_tree_keyed_by_event_id_counts_a_twice_delivered_event_once_with_final()
    {
        var client = Client();
        var table = await TableAsync(client, "event_id UUID, day Date, amount Decimal(18,2)", "ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY event_id");
        var id = Guid.NewGuid();
        object?[][] rows = [[id, new DateOnly(2026, 11, 1), 10m], [Guid.NewGuid(), new DateOnly(2026, 11, 2), 5m]];

        await client.InsertAsync(table, ["event_id", "day", "amount"], rows);
        await client.InsertAsync(table, ["event_id", "day", "amount"], rows.Take(1)); // at-least-once: delivered again

        var total = await client.QueryAsync($"SELECT count(), sum(amount) FROM {table} FINAL");
        Assert.Equal(new string?[] { "2", "15.00" }, total[0]);
        await client.ExecuteAsync($"DROP TABLE {table}");
    }
}
