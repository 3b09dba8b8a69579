using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Delivery;

/// <summary>Carrier accounts in process memory, for the embedded single-silo default.</summary>
public sealed class InMemoryCarrierAccounts(TimeProvider time) : ICarrierAccounts
{
    private readonly ConcurrentDictionary<string, CarrierAccount> accounts = new();

    public Task<CarrierAccount?> GetAsync(string carrier, CancellationToken cancellationToken) => Task.FromResult(accounts.GetValueOrDefault(carrier));

    public Task<CarrierAccount> SetAsync(string carrier, string webhookSecret, string? credentials, CancellationToken cancellationToken) =>
        Task.FromResult(accounts[carrier] = new CarrierAccount(carrier, webhookSecret, credentials, time.GetUtcNow()));

    public Task<CarrierAccount> EnsureAsync(string carrier, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.GetOrAdd(carrier, _ => new CarrierAccount(carrier, CarrierAccount.NewWebhookSecret(), null, time.GetUtcNow())));
}
