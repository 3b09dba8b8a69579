using System.Collections.Concurrent;
using FirstViscount.SiloHost;
using Microsoft.AspNetCore.Builder;

namespace FirstViscount.Api.Tests;

[Trait("Category", "Api")]
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task The_embedded_default_serves_and_with_an_endpoint_configured_exports_traces_and_metrics_over_otlp()
    {
        var received = new ConcurrentDictionary<string, long>();
        var statuses = new List<int>();
        var receiverPort = 26_000 + Random.Shared.Next(0, 1_000) * 2;
        var receiverBuilder = WebApplication.CreateSlimBuilder([$"--Urls=http://127.0.0.1:{receiverPort}"]);
        await using var receiver = receiverBuilder.Build();
        receiver.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var signal = context.Request.Path.Value!.Split('/')[^1];
            received.AddOrUpdate(signal, body.Length, (_, total) => total + body.Length);
            context.Response.StatusCode = 200;
        });
        await receiver.StartAsync();

        var port = receiverPort + 1;
        var silo = SiloHostApp.Create([
            $"--Urls=http://127.0.0.1:{port}", $"--Silo:ClusterId=otel-{Guid.NewGuid():N}", $"--Silo:Port={port + 500}",
            $"--OpenTelemetry:Endpoint=http://127.0.0.1:{receiverPort}", "--Logging:LogLevel:Default=Warning",
        ]);
        await silo.StartAsync();
        using (var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") })
        {
            for (var i = 0; i < 5; i++)
            {
                statuses.Add((int)(await client.GetAsync("/health/live")).StatusCode);
                statuses.Add((int)(await client.PostAsync("/v1/customers", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
            }
            statuses.Add((int)(await client.GetAsync("/v1/products?q=x")).StatusCode);
        }
        await silo.StopAsync();
        await silo.DisposeAsync(); // disposing the providers flushes what is buffered

        Assert.DoesNotContain(500, statuses); // no bug: every answer is deliberate
        Assert.Contains(503, statuses); // the catalog says it needs PostgreSQL
        Assert.True(received.GetValueOrDefault("traces") > 0, $"no traces exported ({string.Join(", ", received)})");
        Assert.True(received.GetValueOrDefault("metrics") > 0, $"no metrics exported ({string.Join(", ", received)})");
    }
}
