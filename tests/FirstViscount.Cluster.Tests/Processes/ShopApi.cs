using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>Calls to the HTTP API as a shop's client makes them (bearer token, Idempotency-Key, Prefer), for loads and benchmarks.</summary>
internal static class ShopApi
{
    /// <summary>A bearer token for <paramref name="email"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient http, string email, string password) =>
        (await SendAsync(http, HttpMethod.Post, "/v1/auth/token", null, new { email, password })).GetProperty("accessToken").GetString()!;

    /// <summary>One call; a status other than 2xx fails with the status and the problem the gateway answered.</summary>
    public static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? body,
        string? idempotencyKey = null, string? prefer = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }
        return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
