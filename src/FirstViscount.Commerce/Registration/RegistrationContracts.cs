using FirstViscount.Commerce.Sagas;
using FirstViscount.Reminders;

namespace FirstViscount.Commerce.Registration;

public enum RegistrationPhase { NotStarted, CreatingAccount, InitializingPreferences, Welcoming, Compensating, Completed, Failed }

/// <summary>Only a password hash ever reaches the saga (its state is persisted).</summary>
public sealed record RegistrationRequest(string CustomerId, string Email, string Name, string PasswordHash);

public sealed record RegistrationStatus(string CustomerId, RegistrationPhase Phase, string? FailureReason, bool EmailTaken = false);

/// <summary>The registration saga's timings; defaults are the product's (DESIGN.md).</summary>
public sealed class RegistrationOptions
{
    public StepPolicy CreateAccount { get; set; } = new(TimeSpan.FromSeconds(45), 3);
    public StepPolicy InitializePreferences { get; set; } = new(TimeSpan.FromSeconds(20), 5);
    public StepPolicy Welcome { get; set; } = new(TimeSpan.FromSeconds(30), 3);
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public Dictionary<string, string> DefaultPreferences { get; set; } = new() { ["currency"] = "EUR", ["newsletter"] = "false", ["language"] = "en" };
}

/// <summary>
/// Registers one customer (keyed by customer id): create the account, initialise preferences, welcome event.
/// On failure it compensates: the account is deleted and the preferences cleared.
/// </summary>
public interface IRegistrationSagaGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Runs the registration to its end and returns how it ended; registering again returns the same.</summary>
    Task<RegistrationStatus> Register(RegistrationRequest request);

    [AlwaysInterleave]
    Task<RegistrationStatus> Status();
}
