using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Accounts;

public sealed record Account(string CustomerId, string Email, string Name, string PasswordHash, string Role = "customer");

/// <summary>Another account already uses this e-mail address.</summary>
[GenerateSerializer, Alias("fv.email-taken")]
public sealed class EmailTakenException(string message) : FirstViscountException(message);

/// <summary>Accounts (PostgreSQL): strong consistency, unique e-mail.</summary>
public interface IAccountStore
{
    /// <summary>Creates the account; creating the same account again is harmless; another account's e-mail throws <see cref="EmailTakenException"/>.</summary>
    Task CreateAsync(Account account, CancellationToken cancellationToken);

    Task DeleteAsync(string customerId, CancellationToken cancellationToken);

    Task<Account?> GetAsync(string customerId, CancellationToken cancellationToken);

    Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken);
}

/// <summary>Customer preferences (Redis, session consistency).</summary>
public interface IPreferencesStore
{
    Task SetAsync(string customerId, IReadOnlyDictionary<string, string> preferences, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>?> GetAsync(string customerId, CancellationToken cancellationToken);

    Task ClearAsync(string customerId, CancellationToken cancellationToken);
}

[EventType("customer.welcomed")]
public sealed record CustomerWelcomed(string CustomerId, string Email, string Name, DateTimeOffset At);

[EventType("customer.registration-failed")]
public sealed record CustomerRegistrationFailed(string CustomerId, string Reason, DateTimeOffset At);
