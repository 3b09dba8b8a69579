using System.Diagnostics;

namespace FirstViscount.Benchmarks;

/// <summary>Measures operations per second of an async operation run by N concurrent callers for a fixed time.</summary>
internal static class Throughput
{
    public static async Task<double> MeasureAsync(int callers, TimeSpan duration, Func<int, ValueTask> operation)
    {
        await RunAsync(callers, TimeSpan.FromMilliseconds(Math.Min(500, duration.TotalMilliseconds / 4)), operation); // warm-up: JIT, tiering, pools
        var stopwatch = Stopwatch.StartNew();
        var operations = await RunAsync(callers, duration, operation);
        return operations / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunAsync(int callers, TimeSpan duration, Func<int, ValueTask> operation)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            long count = 0;
            while (true)
            {
                // Check the clock every 256 calls: reading it costs as much as a fast call.
                for (var i = 0; i < 256; i++)
                {
                    await operation(caller);
                }
                count += 256;
                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    return count;
                }
            }
        })));
        return counts.Sum();
    }
}
