using System.Security.Cryptography;

namespace FirstViscount.Commerce.Delivery;

/// <summary>What the platform holds for a carrier: the secret its webhooks sign with, and the credentials it books with.</summary>
public sealed record CarrierAccount(string Carrier, string WebhookSecret, string? Credentials, DateTimeOffset UpdatedAt)
{
    /// <summary>A secret of 32 random bytes (256 bits), as a carrier account is given when none was set.</summary>
    public static string NewWebhookSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>A carrier account as admins see it: whether each secret is set, never the secret.</summary>
public sealed record CarrierAccountSummary(string Carrier, bool WebhookSecretSet, bool CredentialsSet, DateTimeOffset? UpdatedAt);

/// <summary>A stored carrier account does not decrypt under the configured key (Delivery:CarrierKey was changed).</summary>
public sealed class CarrierAccountUnreadableException(string message, Exception inner) : FirstViscountException(message, inner);

/// <summary>The carriers' accounts; a durable store keeps their secrets encrypted at rest.</summary>
public interface ICarrierAccounts
{
    Task<CarrierAccount?> GetAsync(string carrier, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) a carrier's webhook secret and credentials.</summary>
    Task<CarrierAccount> SetAsync(string carrier, string webhookSecret, string? credentials, CancellationToken cancellationToken);

    /// <summary>The carrier's account, created with a new random webhook secret if it had none (the simulated carriers').</summary>
    Task<CarrierAccount> EnsureAsync(string carrier, CancellationToken cancellationToken);

    /// <summary>Every known carrier, with or without an account.</summary>
    async Task<IReadOnlyList<CarrierAccountSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var summaries = new List<CarrierAccountSummary>();
        foreach (var carrier in CarrierRules.Carriers)
        {
            var account = await GetAsync(carrier, cancellationToken);
            summaries.Add(new(carrier, account is not null, account?.Credentials is not null, account?.UpdatedAt));
        }
        return summaries;
    }
}
