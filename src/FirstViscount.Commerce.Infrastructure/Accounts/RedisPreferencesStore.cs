using System.Text.Json;
using StackExchange.Redis;

namespace FirstViscount.Commerce.Accounts;

/// <summary>Preferences in Redis as one JSON value per customer, kept for a year after the last change.</summary>
public sealed class RedisPreferencesStore(IConnectionMultiplexer redisConnection) : IPreferencesStore
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(365);
    private readonly IDatabase redis = redisConnection.GetDatabase();

    public Task SetAsync(string customerId, IReadOnlyDictionary<string, string> preferences, CancellationToken cancellationToken) =>
        Run(() => redis.StringSetAsync(Key(customerId), JsonSerializer.Serialize(preferences), TimeToLive));

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(string customerId, CancellationToken cancellationToken) =>
        await Run(() => redis.StringGetAsync(Key(customerId))) is { HasValue: true } json ? JsonSerializer.Deserialize<Dictionary<string, string>>((string)json!) : null;

    public Task ClearAsync(string customerId, CancellationToken cancellationToken) => Run(() => redis.KeyDeleteAsync(Key(customerId)));

    private static async Task<T> Run<T>(Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception error) when (error is RedisConnectionException or RedisTimeoutException)
        {
            throw new DependencyUnavailableException($"Redis did not answer: {error.Message}", error);
        }
    }

    private static string Key(string customerId) => $"fv:preferences:{customerId}";
}
