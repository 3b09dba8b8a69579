using System.Net.Http.Headers;
using System.Text.Json;
using FirstViscount.Commerce.Delivery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FirstViscount.SiloHost.Gateway;

/// <summary>Settings Delivery:Simulator:*: whether the simulated carriers report back, how often, and to where.</summary>
public sealed class CarrierSimulatorOptions
{
    /// <summary>Whether booked parcels' journeys are posted to the webhook (setting Delivery:Simulator:Webhooks).</summary>
    public bool Webhooks { get; set; } = true;

    /// <summary>The wait before each of a journey's events is posted.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The gateway the events go to; by default this silo's own first HTTP address.</summary>
    public Uri? WebhookBaseUrl { get; set; }
}

/// <summary>
/// The simulated carriers' side of the webhook: each journey's events are signed with the carrier's secret (one is
/// made if the carrier has none) and posted over HTTP to <c>/v1/carriers/{carrier}/events</c>, as a carrier would,
/// retrying what did not get a 2xx. A journey lives in this process only: a silo that stops takes its unsent reports
/// with it, as a simulator may.
/// </summary>
internal sealed class SimulatedCarrierWebhooks(
    IOptions<CarrierSimulatorOptions> options, ICarrierAccounts accounts, IServer server, IOptions<JsonOptions> json,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<SimulatedCarrierWebhooks> logger) : ISimulatedCarrierWebhooks, IDisposable
{
    private const int Attempts = 5;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Post(string carrier, IReadOnlyList<CarrierEvent> events)
    {
        if (options.Value.Webhooks)
        {
            _ = Task.Run(() => PostJourneyAsync(carrier, events, lifetime.ApplicationStopping));
        }
    }

    private async Task PostJourneyAsync(string carrier, IReadOnlyList<CarrierEvent> events, CancellationToken stopping)
    {
        try
        {
            var secret = (await accounts.EnsureAsync(carrier, stopping)).WebhookSecret;
            var endpoint = new Uri(BaseUrl(), $"v1/carriers/{carrier}/events");
            foreach (var report in events)
            {
                await Task.Delay(options.Value.ReportInterval, time, stopping);
                await PostAsync(endpoint, secret, JsonSerializer.SerializeToUtf8Bytes(report, json.Value.SerializerOptions), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Simulated carrier {Carrier} gave up reporting shipment {Shipment}", carrier, events[0].ShipmentId);
        }
    }

    private async Task PostAsync(Uri endpoint, string secret, byte[] body, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(CarrierSignature.Header, CarrierSignature.Sign(secret, body, time.GetUtcNow()));
            try
            {
                using var response = await http.SendAsync(request, stopping);
                if (response.IsSuccessStatusCode || attempt == Attempts)
                {
                    response.EnsureSuccessStatusCode();
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < Attempts)
            {
            }
            await Task.Delay(TimeSpan.FromSeconds(attempt), time, stopping);
        }
    }

    /// <summary>The configured gateway, else this silo's first address (a wildcard host means this machine).</summary>
    private Uri BaseUrl()
    {
        if (options.Value.WebhookBaseUrl is { } configured)
        {
            return configured;
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The silo has no HTTP address for the simulated carriers to post to; set Delivery:Simulator:WebhookBaseUrl.");
        var url = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"));
        if (url.Host is "0.0.0.0")
        {
            url.Host = "127.0.0.1";
        }
        return url.Uri;
    }

    public void Dispose() => http.Dispose();
}
