using System.Net;
using System.Text;
using System.Text.Json;

namespace FirstViscount.Api.Tests;

/// <summary>Bad input is told apart precisely: the field of the wrong type, where the JSON breaks, and nothing of a huge input echoed back.</summary>
[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class InputErrorsApiTests(GatewayCluster cluster)
{
    private async Task<(HttpStatusCode Status, string? Detail, string Body)> PutCartItemAsync(string sku, string json)
    {
        var (_, token, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(0, token);
        using var response = await client.PutAsync($"/v1/cart/items/{sku}", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        return (response.StatusCode, problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null, body);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_answers_400_naming_the_field()
    {
        var (status, detail, _) = await PutCartItemAsync("ANY-SKU", """{"quantity":"2"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'quantity' has a value of the wrong type (line 1, column 16).", detail);
    }

    [Fact]
    public async Task Malformed_json_answers_400_saying_where_it_breaks()
    {
        var (status, detail, _) = await PutCartItemAsync("ANY-SKU", "{\n  \"quantity\": 2,\n  oops\n}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(detail);
        Assert.StartsWith("The body is not valid JSON (line 3, column", detail);
    }

    [Fact]
    public async Task A_path_segment_of_thousands_of_characters_is_not_echoed_back_whole()
    {
        var segment = new string('x', 5_000);

        var (status, detail, body) = await PutCartItemAsync(segment, """{"quantity":1}""");

        Assert.True((int)status is >= 400 and < 500, $"{status}: {body[..Math.Min(200, body.Length)]}");
        Assert.DoesNotContain(segment, body);
        Assert.True(detail is null || detail.Length <= 301, detail);
    }
}
