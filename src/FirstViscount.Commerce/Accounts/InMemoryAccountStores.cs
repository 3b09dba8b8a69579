using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Accounts;

/// <summary>Accounts in process memory, for the embedded single-silo default.</summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly ConcurrentDictionary<string, Account> accounts = new();
    private readonly Lock gate = new();

    public Task CreateAsync(Account account, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (accounts.Values.Any(a => a.CustomerId != account.CustomerId && string.Equals(a.Email, account.Email, StringComparison.OrdinalIgnoreCase)))
            {
                throw new EmailTakenException($"The e-mail address {account.Email} is already registered.");
            }
            accounts.TryAdd(account.CustomerId, account);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string customerId, CancellationToken cancellationToken)
    {
        accounts.TryRemove(customerId, out _);
        return Task.CompletedTask;
    }

    public Task<Account?> GetAsync(string customerId, CancellationToken cancellationToken) => Task.FromResult(accounts.GetValueOrDefault(customerId));

    public Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.Values.FirstOrDefault(a => string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>Preferences in process memory, for the embedded single-silo default.</summary>
public sealed class InMemoryPreferencesStore : IPreferencesStore
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> preferences = new();

    public Task SetAsync(string customerId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        preferences[customerId] = new Dictionary<string, string>(values);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>?> GetAsync(string customerId, CancellationToken cancellationToken) =>
        Task.FromResult(preferences.GetValueOrDefault(customerId));

    public Task ClearAsync(string customerId, CancellationToken cancellationToken)
    {
        preferences.TryRemove(customerId, out _);
        return Task.CompletedTask;
    }
}
