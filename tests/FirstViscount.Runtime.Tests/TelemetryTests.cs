using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FirstViscount.Runtime.Tests.Grains;
using FirstViscount.Telemetry;

namespace FirstViscount.Runtime.Tests;

[Trait("Category", "Runtime")]
public sealed class TelemetryTests
{
    [Fact]
    public async Task Grain_calls_are_traced_as_spans_and_counted_by_outcome_when_someone_listens()
    {
        var key = ClusterFixture.Key("telemetry");
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RuntimeTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => { if (activity.GetTagItem("firstviscount.grain")?.ToString()?.Contains(key) == true) { spans.Enqueue(activity); } },
        };
        ActivitySource.AddActivityListener(tracing);
        var outcomes = new ConcurrentQueue<string>();
        using var metrics = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == RuntimeTelemetry.Name) { listener.EnableMeasurementEvents(instrument); } } };
        metrics.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "firstviscount.grain.calls")
            {
                outcomes.Enqueue(tags.ToArray().Single(t => t.Key == "outcome").Value!.ToString()!);
            }
        });
        metrics.Start();
        await using var cluster = await ClusterFixture.DeployAsync();
        var grain = cluster.GrainFactory.GetGrain<IFaultyGrain>(key);

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowInvalidOperation("traced"));
        await cluster.GrainFactory.GetGrain<IEchoGrain>(key).Ping();

        await ClusterFixture.EventuallyAsync(() => spans.Count >= 2, "both calls ended their spans");
        var failed = spans.Single(s => s.DisplayName.Contains("ThrowInvalidOperation", StringComparison.Ordinal));
        Assert.Equal(ActivityKind.Client, failed.Kind);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("traced", failed.StatusDescription);
        Assert.Contains("error", outcomes);
        Assert.Contains("ok", outcomes);
    }
}
