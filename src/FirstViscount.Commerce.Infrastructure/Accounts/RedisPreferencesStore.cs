using System.Text.Json;
using FirstViscount.Redis.Client;

namespace FirstViscount.Commerce.Accounts;

/// <summary>Preferences in Redis as one JSON value per customer, kept for a year after the last change.</summary>
public sealed class RedisPreferencesStore(RedisClient redis) : IPreferencesStore
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(365);

    public async Task SetAsync(string customerId, IReadOnlyDictionary<string, string> preferences, CancellationToken cancellationToken) =>
        await redis.SetAsync(Key(customerId), JsonSerializer.Serialize(preferences), TimeToLive);

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(string customerId, CancellationToken cancellationToken) =>
        await redis.GetAsync(Key(customerId)) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;

    public async Task ClearAsync(string customerId, CancellationToken cancellationToken) => await redis.DeleteAsync(Key(customerId));

    private static string Key(string customerId) => $"fv:preferences:{customerId}";
}
