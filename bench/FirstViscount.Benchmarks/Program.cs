using FirstViscount.Benchmarks;

// Usage: dotnet run -c Release --project bench/FirstViscount.Benchmarks -- <benchmark> [--quick]
// Prints one JSON object per line on stdout; a summary goes to stderr.
var benchmarks = new Dictionary<string, Func<bool, Task<IReadOnlyList<BenchResult>>>>
{
    ["grain-calls"] = GrainCallsBenchmark.RunAsync,
    ["storage-writes"] = StorageWritesBenchmark.RunAsync,
    ["hot-sku"] = HotSkuBenchmark.RunAsync,
    ["checkout"] = CheckoutBenchmark.RunAsync,
    ["http-checkout"] = HttpCheckoutBenchmark.RunAsync,
    ["sink"] = SinkBenchmark.RunAsync,
    ["analytics-query"] = AnalyticsQueryBenchmark.RunAsync,
    ["search"] = SearchBenchmark.RunAsync,
    ["failover"] = FailoverBenchmark.RunAsync,
    ["drill"] = DrillBenchmark.RunAsync,
    ["audit"] = AuditBenchmark.RunAsync,
};

var name = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
if (name is null || !benchmarks.TryGetValue(name, out var run))
{
    Console.Error.WriteLine($"usage: FirstViscount.Benchmarks <{string.Join("|", benchmarks.Keys)}> [--quick]");
    return 2;
}
foreach (var result in await run(args.Contains("--quick")))
{
    Console.WriteLine(result.ToJson());
    Console.Error.WriteLine(result);
}
return 0;
