using FirstViscount.Commerce.Hosting;
using FirstViscount.Tests;
using StackExchange.Redis;

namespace FirstViscount.Commerce.Tests;

/// <summary>One connection to the test Redis for the tests' own reads and stores.</summary>
internal static class TestRedis
{
    private static readonly Lazy<IConnectionMultiplexer> Shared = new(() => SharedRedis.Connect(TestServers.Redis));

    public static IConnectionMultiplexer Connection => Shared.Value;
}
