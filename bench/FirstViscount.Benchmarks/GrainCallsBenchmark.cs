using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace FirstViscount.Benchmarks;

[Alias("fv.bench.adder")]
public interface IAdderGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task<int> Add(int value);
}

public sealed class AdderGrain : Grain, IAdderGrain
{
    private int total;

    public Task<int> Add(int value) => Task.FromResult(total += value);
}

/// <summary>
/// grain-calls: Orleans calls/s inside one silo (from its co-hosted client, as the HTTP gateway calls) and from an
/// external client to the silo over TCP (its gateway port), with 1 and 64 callers, each against a raw TCP echo over
/// loopback with as many connections in the same run.
/// </summary>
internal static class GrainCallsBenchmark
{
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        var siloPort = BenchSilo.FreePort();
        await using var silo = await BenchSilo.StartAsync(siloPort: siloPort, gatewayPort: siloPort + 1);
        using var client = await StartClientAsync(silo, siloPort + 1);
        var external = client.Services.GetRequiredService<IClusterClient>();

        var results = new List<BenchResult>();
        foreach (var callers in new[] { 1, 64 })
        {
            await using var echo = await RawTcpEcho.StartAsync(callers);
            var buffers = Enumerable.Range(0, callers).Select(_ => RawTcpEcho.NewBuffer()).ToArray();
            var raw = await Throughput.MeasureAsync(callers, duration, caller => echo.RoundTripAsync(caller, buffers[caller]));
            var inside = Enumerable.Range(0, callers).Select(i => silo.GrainFactory.GetGrain<IAdderGrain>(i)).ToArray();
            var local = await Throughput.MeasureAsync(callers, duration, async caller => await inside[caller].Add(1));
            var remote = Enumerable.Range(0, callers).Select(i => external.GetGrain<IAdderGrain>(1_000 + i)).ToArray();
            var tcp = await Throughput.MeasureAsync(callers, duration, async caller => await remote[caller].Add(1));
            results.Add(new BenchResult($"grain-calls/inside-silo/{callers}-callers", local, "calls/s", $"raw TCP echo over loopback, {callers} connections", raw));
            results.Add(new BenchResult($"grain-calls/client-over-tcp/{callers}-callers", tcp, "calls/s", $"raw TCP echo over loopback, {callers} connections", raw));
        }
        await client.StopAsync();
        return results;
    }

    private static async Task<IHost> StartClientAsync(BenchSilo silo, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseStaticClustering(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, gatewayPort))
            .Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = (silo.ClusterId, silo.ServiceId)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
