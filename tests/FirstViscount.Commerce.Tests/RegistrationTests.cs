using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Registration;
using FirstViscount.Tests;
using Npgsql;

namespace FirstViscount.Commerce.Tests;

[Trait("Category", "Commerce")]
public sealed class RegistrationTests
{
    private static readonly PostgresAccountStore Accounts = new(NpgsqlDataSource.Create(TestServers.Postgres));
    private static readonly RedisPreferencesStore Preferences = new(TestRedis.Connection);

    private static RegistrationRequest Request(string customerId, string email) =>
        new(customerId, email, "Grace Hopper", AccountPasswords.Hash("correct horse battery staple"));

    [Fact]
    public async Task A_registration_creates_the_account_its_preferences_and_one_welcome_event()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var customerId = CommerceCluster.Key("customer");
        var email = $"{customerId}@example.com";
        var saga = cluster.Client.GetGrain<IRegistrationSagaGrain>(customerId);

        var status = await saga.Register(Request(customerId, email));
        await saga.Register(Request(customerId, email)); // again: nothing new

        Assert.Equal(RegistrationPhase.Completed, status.Phase);
        var account = (await Accounts.FindByEmailAsync(email.ToUpperInvariant(), CancellationToken.None))!;
        Assert.Equal(customerId, account.CustomerId);
        Assert.True(AccountPasswords.Verify(account.PasswordHash, "correct horse battery staple"));
        Assert.False(AccountPasswords.Verify(account.PasswordHash, "wrong"));
        Assert.Equal("EUR", (await Preferences.GetAsync(customerId, CancellationToken.None))!["currency"]);
        var events = await CommerceCluster.EventStore(cluster).ReadStreamAsync($"customer-{customerId}", 0, CancellationToken.None);
        Assert.Equal(["customer.welcomed"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_taken_email_fails_the_registration_and_leaves_the_other_account_alone()
    {
        await using var cluster = await CommerceCluster.DeployAsync();
        var first = CommerceCluster.Key("first");
        var email = $"{first}@example.com";
        await cluster.Client.GetGrain<IRegistrationSagaGrain>(first).Register(Request(first, email));

        var second = CommerceCluster.Key("second");
        var status = await cluster.Client.GetGrain<IRegistrationSagaGrain>(second).Register(Request(second, email.ToUpperInvariant()));

        Assert.Equal(RegistrationPhase.Failed, status.Phase);
        Assert.Contains("already registered", status.FailureReason);
        Assert.Equal(first, (await Accounts.FindByEmailAsync(email, CancellationToken.None))!.CustomerId);
        Assert.Null(await Accounts.GetAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task When_preferences_cannot_be_initialised_the_account_is_deleted_and_preferences_cleared()
    {
        var failing = new FailingPreferences(Preferences);
        await using var cluster = await CommerceCluster.DeployAsync(preferences: failing);
        var customerId = CommerceCluster.Key("unlucky");

        var status = await cluster.Client.GetGrain<IRegistrationSagaGrain>(customerId).Register(Request(customerId, $"{customerId}@example.com"));

        Assert.Equal(RegistrationPhase.Failed, status.Phase);
        Assert.Contains("initialising preferences did not succeed after 6 attempts", status.FailureReason);
        Assert.Equal(6, failing.Attempts);
        Assert.Null(await Accounts.GetAsync(customerId, CancellationToken.None));
        Assert.Null(await Preferences.GetAsync(customerId, CancellationToken.None));
        Assert.Empty(await CommerceCluster.EventStore(cluster).ReadStreamAsync($"customer-{customerId}", 0, CancellationToken.None));
    }

    /// <summary>Redis refusing writes: the store half-writes and then reports a storage error, as a real outage can.</summary>
    private sealed class FailingPreferences(IPreferencesStore inner) : IPreferencesStore
    {
        public int Attempts;

        public async Task SetAsync(string customerId, IReadOnlyDictionary<string, string> preferences, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Attempts);
            await inner.SetAsync(customerId, preferences, cancellationToken);
            throw new DependencyUnavailableException("Redis is refusing writes (simulated).", null);
        }

        public Task<IReadOnlyDictionary<string, string>?> GetAsync(string customerId, CancellationToken cancellationToken) => inner.GetAsync(customerId, cancellationToken);

        public Task ClearAsync(string customerId, CancellationToken cancellationToken) => inner.ClearAsync(customerId, cancellationToken);
    }
}
