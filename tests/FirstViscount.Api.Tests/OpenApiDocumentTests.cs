using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FirstViscount.Tests;

namespace FirstViscount.Api.Tests;

/// <summary>
/// The OpenAPI document a fully configured silo serves (PostgreSQL and ClickHouse, so every route is in it) passes
/// @redocly/cli's recommended rules with no error and no warning, declares the bearer scheme, and names and
/// summarises every operation.
/// </summary>
[Trait("Category", "Api")]
public sealed class OpenApiDocumentTests(AnalyticsSilo silo) : IClassFixture<AnalyticsSilo>
{
    /// <summary>deploy/test.sh installs the linter and says where (FV_REDOCLY); deploy/lib/redocly.sh does it alone.</summary>
    private static string Redocly => Environment.GetEnvironmentVariable("FV_REDOCLY")
        ?? Path.Combine(TestServers.RepositoryRoot(), ".data", "tools", "redocly", "node_modules", ".bin", "redocly");

    [Fact]
    public async Task The_served_document_passes_redocly_recommended_lint_with_no_error_and_no_warning()
    {
        Assert.True(File.Exists(Redocly), $"@redocly/cli is not installed at {Redocly}: run deploy/lib/redocly.sh (deploy/test.sh does)");
        using var http = new HttpClient { BaseAddress = silo.Gateway };
        var document = await http.GetStringAsync("/openapi/v1.json");
        var file = Path.Combine(Path.GetTempPath(), $"fv-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var lint = Process.Start(new ProcessStartInfo(Redocly, ["lint", file, "--format=json", "--max-problems=500"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync();
            using var report = JsonDocument.Parse(await output);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}").ToList();
            var totals = report.RootElement.GetProperty("totals");

            Assert.True(problems.Count == 0, string.Join('\n', problems) + await errors);
            Assert.Equal((0, 0), (totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_and_a_summary_and_the_bearer_scheme_is_declared()
    {
        using var http = new HttpClient { BaseAddress = silo.Gateway };
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Route: $"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value)))
            .ToList();

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Contains(operations, o => o.Route == "PUT /v1/categories/{slug}");
        Assert.Contains(operations, o => o.Route == "GET /v1/analytics/funnel");
        Assert.All(operations, o => Assert.True(o.Value.TryGetProperty("operationId", out _) && o.Value.TryGetProperty("summary", out _), o.Route));
        var ids = operations.Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var adminOnly = operations.Single(o => o.Route == "GET /v1/admin/cluster").Value;
        Assert.True(adminOnly.GetProperty("responses").TryGetProperty("403", out _));
        Assert.Equal(JsonValueKind.Array, adminOnly.GetProperty("security")[0].GetProperty("Bearer").ValueKind);
        Assert.Equal(0, operations.Single(o => o.Route == "GET /v1/products").Value.GetProperty("security").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/swagger/index.html")).StatusCode);
    }
}
