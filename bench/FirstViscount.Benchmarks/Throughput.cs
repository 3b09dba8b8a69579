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
            var batch = 1;
            var millisecond = Stopwatch.Frequency / 1000;
            while (true)
            {
                // Reading the clock costs as much as a fast call: read it once per batch, and grow the batch
                // (up to 256 calls) only while a batch takes less than a millisecond, so slow operations stop on time.
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch; i++)
                {
                    await operation(caller);
                }
                count += batch;
                var now = Stopwatch.GetTimestamp();
                if (now >= deadline)
                {
                    return count;
                }
                if (now - started < millisecond && batch < 256)
                {
                    batch *= 2;
                }
            }
        })));
        return counts.Sum();
    }
}
