using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Sagas;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Registration;

[GenerateSerializer, Alias("fv.registration-state")]
public sealed class RegistrationState
{
    [Id(0)]
    public RegistrationPhase Phase { get; set; }

    [Id(1)]
    public RegistrationRequest? Request { get; set; }

    [Id(2)]
    public string? FailureReason { get; set; }

    /// <summary>It failed because another account has the e-mail (the API answers 409 for that).</summary>
    [Id(3)]
    public bool EmailTaken { get; set; }

    public bool IsTerminal => Phase is RegistrationPhase.Completed or RegistrationPhase.Failed;
}

/// <summary>
/// The registration saga: each phase is persisted before it acts and each action is idempotent (create the same
/// account, set the same preferences, append the welcome once), so its reminder can finish it after a crash.
/// </summary>
[GrainType("registration-saga")]
[Orleans.Placement.RandomPlacement] // fresh grains spread over the silos (measured: PlacementTests)
public sealed class RegistrationSagaGrain(
    [PersistentState("registration")] IPersistentState<RegistrationState> saga,
    IAccountStore accounts,
    IPreferencesStore preferences,
    IEventStore events,
    EventSerializer serializer,
    RegistrationOptions options,
    TimeProvider time) : Grain, IRegistrationSagaGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    private RegistrationState State => saga.State;

    private string CustomerId => this.GetPrimaryKeyString();

    public async Task<RegistrationStatus> Register(RegistrationRequest request)
    {
        if (request.CustomerId != CustomerId)
        {
            throw new ArgumentException("The request's customer id must be the saga's key.", nameof(request));
        }
        if (State.Phase == RegistrationPhase.NotStarted)
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, options.ResumeInterval, options.ResumeInterval);
            await PersistAsync(RegistrationPhase.CreatingAccount, state => state.Request = request);
        }
        await RunAsync();
        return Current();
    }

    public Task<RegistrationStatus> Status() => Task.FromResult(Current());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Phase != RegistrationPhase.NotStarted)
        {
            await RunAsync();
        }
    }

    private RegistrationStatus Current() => new(CustomerId, State.Phase, State.FailureReason, State.EmailTaken);

    private async Task RunAsync()
    {
        while (!State.IsTerminal)
        {
            var request = State.Request!;
            switch (State.Phase)
            {
                case RegistrationPhase.CreatingAccount:
                    try
                    {
                        await Step(options.CreateAccount, "creating the account",
                            token => accounts.CreateAsync(new Account(CustomerId, request.Email, request.Name, request.PasswordHash), token),
                            RegistrationPhase.InitializingPreferences);
                    }
                    catch (EmailTakenException error)
                    {
                        await PersistAsync(RegistrationPhase.Compensating, state => (state.FailureReason, state.EmailTaken) = (error.Message, true));
                    }
                    break;
                case RegistrationPhase.InitializingPreferences:
                    await Step(options.InitializePreferences, "initialising preferences",
                        token => preferences.SetAsync(CustomerId, options.DefaultPreferences, token), RegistrationPhase.Welcoming);
                    break;
                case RegistrationPhase.Welcoming:
                    await Step(options.Welcome, "the welcome event", WelcomeOnceAsync, RegistrationPhase.Completed);
                    break;
                case RegistrationPhase.Compensating:
                    await SagaStep.RetryUntilDoneAsync(options.CreateAccount.Timeout, options.RetryBackoff, async token =>
                    {
                        if (await accounts.GetAsync(CustomerId, token) is { } account && account.Email == request.Email)
                        {
                            await accounts.DeleteAsync(CustomerId, token);
                        }
                        await preferences.ClearAsync(CustomerId, token);
                        return true;
                    });
                    await PersistAsync(RegistrationPhase.Failed, _ => { });
                    break;
            }
        }
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task Step(StepPolicy policy, string what, Func<CancellationToken, Task> action, RegistrationPhase next)
    {
        var outcome = await SagaStep.RunAsync(policy, options.RetryBackoff, what, async token =>
        {
            await action(token);
            return true;
        });
        await (outcome.Succeeded
            ? PersistAsync(next, _ => { })
            : PersistAsync(RegistrationPhase.Compensating, state => state.FailureReason = outcome.Failure));
    }

    private async Task WelcomeOnceAsync(CancellationToken cancellationToken)
    {
        var stream = $"customer-{CustomerId}";
        if ((await events.ReadStreamAsync(stream, 0, cancellationToken)).Any(e => e.Type == "customer.welcomed"))
        {
            return;
        }
        var request = State.Request!;
        var welcome = serializer.Serialize(new CustomerWelcomed(CustomerId, request.Email, request.Name, time.GetUtcNow()),
            new EventMetadata(CorrelationId: CustomerId, Actor: this.GetGrainId().ToString()));
        await events.AppendAsync(stream, ExpectedVersion.Any, [welcome], cancellationToken);
    }

    private async Task PersistAsync(RegistrationPhase phase, Action<RegistrationState> change)
    {
        change(State);
        State.Phase = phase;
        await saga.WriteStateAsync();
    }
}
