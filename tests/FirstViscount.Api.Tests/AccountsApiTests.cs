using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FirstViscount.Api.Tests;

[Collection(nameof(GatewayCluster))]
[Trait("Category", "Api")]
public sealed class AccountsApiTests(GatewayCluster cluster)
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
        Assert.True(problem.TryGetProperty("traceId", out _));
        return problem;
    }

    [Fact]
    public async Task Registering_answers_201_with_the_customer_id_and_a_second_registration_of_the_email_409()
    {
        using var client = cluster.Client();
        var email = $"c{Guid.NewGuid():N}@example.com";

        var created = await client.PostAsJsonAsync("/v1/customers", new { email, password = "long-enough", name = "Ada" });
        var again = await client.PostAsJsonAsync("/v1/customers", new { email = email.ToUpperInvariant(), password = "long-enough", name = "Ada" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var customerId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetString();
        Assert.Equal($"/v1/customers/{customerId}", created.Headers.Location?.OriginalString);
        await ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Invalid_registrations_are_400_naming_each_bad_field()
    {
        using var client = cluster.Client();

        var response = await client.PostAsJsonAsync("/v1/customers", new { email = "not-an-email", password = "short", name = "" });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Malformed_json_and_the_wrong_content_type_are_problems_not_crashes()
    {
        using var client = cluster.Client();

        await ProblemAsync(await client.PostAsync("/v1/customers", new StringContent("{\"email\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PostAsync("/v1/customers", new StringContent("email=a", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await client.PostAsync("/v1/customers", new StringContent("[1,2,3]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_token_from_one_silo_is_accepted_by_the_other()
    {
        var (customerId, token, email) = await cluster.NewCustomerAsync(silo: 0);
        using var other = cluster.Client(silo: 1, token);

        var me = await other.GetFromJsonAsync<JsonElement>("/v1/customers/me");

        Assert.Equal(customerId, me.GetProperty("customerId").GetString());
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("EUR", me.GetProperty("preferences").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_no_token_is_401()
    {
        var (_, _, email) = await cluster.NewCustomerAsync();
        using var client = cluster.Client();

        await ProblemAsync(await client.PostAsJsonAsync("/v1/auth/token", new { email, password = "wrong-password" }), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/customers/me")).StatusCode);
    }

    [Fact]
    public async Task Preferences_are_saved_and_shown_with_the_profile()
    {
        var (_, token, _) = await cluster.NewCustomerAsync();
        using var client = cluster.Client(1, token);

        var saved = await client.PutAsJsonAsync("/v1/customers/me/preferences", new Dictionary<string, string> { ["currency"] = "GBP", ["newsletter"] = "true" });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/v1/customers/me");
        Assert.Equal("GBP", me.GetProperty("preferences").GetProperty("currency").GetString());
    }
}
