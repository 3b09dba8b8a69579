namespace FirstViscount.Benchmarks;

/// <summary>The PostgreSQL that deploy/services.sh starts, unless FV_POSTGRES says otherwise.</summary>
internal static class BenchDatabase
{
    public static string ConnectionString { get; } = Environment.GetEnvironmentVariable("FV_POSTGRES")
        ?? "Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Maximum Pool Size=100";
}
