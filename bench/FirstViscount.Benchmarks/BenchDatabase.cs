namespace FirstViscount.Benchmarks;

/// <summary>The PostgreSQL and Redis that deploy/services.sh starts, unless FV_POSTGRES / FV_REDIS say otherwise.</summary>
internal static class BenchDatabase
{
    public static string ConnectionString { get; } = Environment.GetEnvironmentVariable("FV_POSTGRES")
        ?? "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Maximum Pool Size=100";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("FV_REDIS") ?? "127.0.0.1:16379";
}
