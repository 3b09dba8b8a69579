using System.Diagnostics;

namespace FirstViscount.Benchmarks;

/// <summary>Latency percentiles of a repeated call, after a few warm-up calls.</summary>
internal static class Latency
{
    public static async Task<double> P95MillisecondsAsync(int runs, Func<Task> call, int warmUp = 3)
    {
        for (var warm = 0; warm < warmUp; warm++)
        {
            await call();
        }
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[(int)Math.Ceiling(runs * 0.95) - 1];
    }
}
