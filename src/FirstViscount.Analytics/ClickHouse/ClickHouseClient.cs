using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FirstViscount.Analytics.ClickHouse;

/// <summary>
/// A ClickHouse client over its HTTP interface, written for 18.16: statements in the body, results as
/// TabSeparated (a FORMAT clause; the X-ClickHouse-Format header is ignored there), inserts streamed as
/// TabSeparated, and no settings in the URL but the database (unknown ones are hard errors in 18.16).
/// </summary>
public sealed partial class ClickHouseClient(HttpClient http, string database = "default")
{
    /// <summary>The database statements run in (the URL's database setting).</summary>
    public string Database { get; } = Identifier(database);

    /// <summary>The same server and connection pool, another database.</summary>
    public ClickHouseClient ForDatabase(string name) => new(http, name);

    /// <summary>Runs a statement that returns nothing (DDL, ALTER, INSERT … SELECT).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(sql, null, cancellationToken);
    }

    /// <summary>Runs a query; rows come back as fields (TabSeparated unescaped; \N as null).</summary>
    public async Task<IReadOnlyList<string?[]>> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(sql.TrimEnd().TrimEnd(';') + " FORMAT TabSeparated", null, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t').Select(ClickHouseSql.UnescapeTabField).ToArray())];
    }

    /// <summary>Inserts rows as one TabSeparated stream, formatted chunk by chunk as it is sent; returns how many were sent.</summary>
    public async Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        const int chunkBytes = 1 << 16;
        long count = 0;
        var content = new PushStreamContent(async stream =>
        {
            using var chunk = new TabSeparatedRows(chunkBytes * 2);
            foreach (var row in rows)
            {
                foreach (var field in row)
                {
                    chunk.Field(field);
                }
                chunk.EndRow();
                count++;
                if (chunk.Written.Length >= chunkBytes)
                {
                    await stream.WriteAsync(chunk.Written, cancellationToken);
                    chunk.Clear();
                }
            }
            await stream.WriteAsync(chunk.Written, cancellationToken);
        });
        await InsertAsync(table, columns, content, cancellationToken);
        return count;
    }

    /// <summary>Inserts rows already in TabSeparated form, the parts one after another in one insert.</summary>
    public async Task InsertAsync(string table, IReadOnlyList<string> columns, IReadOnlyList<TabSeparatedRows> parts, CancellationToken cancellationToken = default)
    {
        var content = new PushStreamContent(async stream =>
        {
            foreach (var part in parts)
            {
                await stream.WriteAsync(part.Written, cancellationToken);
            }
        });
        await InsertAsync(table, columns, content, cancellationToken);
    }

    private async Task InsertAsync(string table, IReadOnlyList<string> columns, HttpContent content, CancellationToken cancellationToken)
    {
        var query = $"INSERT INTO {Identifier(table)} ({string.Join(", ", columns.Select(Identifier))}) FORMAT TabSeparated";
        using var response = await SendAsync(query, content, cancellationToken);
    }

    /// <summary>A table or column name: only letters, digits and underscores pass, so names cannot inject SQL.</summary>
    public static string Identifier(string name) =>
        IdentifierPattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a plain ClickHouse identifier.", nameof(name));

    private async Task<HttpResponseMessage> SendAsync(string sql, HttpContent? data, CancellationToken cancellationToken)
    {
        var uri = "?database=" + Database + (data is null ? "" : "&query=" + Uri.EscapeDataString(sql));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = data ?? new StringContent(sql, Encoding.UTF8) };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ClickHouseException($"ClickHouse at {http.BaseAddress} cannot be reached: {error.Message}", innerException: error);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        response.Dispose();
        var code = CodePattern().Match(text) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
        throw new ClickHouseException($"ClickHouse refused the query: {text}", code);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"Code:\s*(\d+)")]
    private static partial Regex CodePattern();

    /// <summary>Streams what a callback writes, so a big insert is never held in memory whole.</summary>
    private sealed class PushStreamContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
