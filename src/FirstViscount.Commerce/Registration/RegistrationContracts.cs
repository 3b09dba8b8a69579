using FirstViscount.Commerce.Sagas;

namespace FirstViscount.Commerce.Registration;

public enum RegistrationPhase { NotStarted, CreatingAccount, InitializingPreferences, Welcoming, Compensating, Completed, Failed }

/// <summary>Only a password hash ever reaches the saga (its state is persisted).</summary>
[GenerateSerializer, Alias("fv.registration-request")]
public sealed record RegistrationRequest(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Email,
    [property: Id(2)] string Name,
    [property: Id(3)] string PasswordHash);

[GenerateSerializer, Alias("fv.registration-status")]
public sealed record RegistrationStatus(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] RegistrationPhase Phase,
    [property: Id(2)] string? FailureReason,
    [property: Id(3)] bool EmailTaken = false);

/// <summary>The registration saga's timings; defaults are the product's (DESIGN.md).</summary>
public sealed class RegistrationOptions
{
    public StepPolicy CreateAccount { get; set; } = new(TimeSpan.FromSeconds(45), 3);
    public StepPolicy InitializePreferences { get; set; } = new(TimeSpan.FromSeconds(20), 5);
    public StepPolicy Welcome { get; set; } = new(TimeSpan.FromSeconds(30), 3);

    /// <summary>How often a durable reminder resumes an unfinished registration (Orleans reminders: at least a minute unless lowered).</summary>
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public Dictionary<string, string> DefaultPreferences { get; set; } = new() { ["currency"] = "EUR", ["newsletter"] = "false", ["language"] = "en", ["notifications"] = "email" };
}

/// <summary>
/// Registers one customer (keyed by customer id): create the account, initialise preferences, welcome event.
/// On failure it compensates: the account is deleted and the preferences cleared.
/// </summary>
[Alias("fv.registration-saga")]
public interface IRegistrationSagaGrain : IGrainWithStringKey
{
    /// <summary>Runs the registration to its end and returns how it ended; registering again returns the same.</summary>
    [ResponseTimeout("00:03:00"), Alias("register")]
    Task<RegistrationStatus> Register(RegistrationRequest request);

    [AlwaysInterleave, Alias("status")]
    Task<RegistrationStatus> Status();
}
