using FirstViscount.Commerce.Delivery;

namespace FirstViscount.Commerce.Tests;

/// <summary>Carrier accounts in PostgreSQL: encrypted at rest, and each key sees only its own (a demo and a test run may share a database).</summary>
[Trait("Category", "Commerce")]
public sealed class CarrierAccountsTests() : ScratchDatabaseTests("fv_carriers")
{
    private PostgresCarrierAccounts Accounts(string key) => new(Postgres, new CarrierSecretProtector(key));

    [Fact]
    public async Task Silos_with_different_keys_keep_separate_accounts_and_an_altered_row_is_refused_with_the_fix()
    {
        var (demo, tests) = (Accounts(CarrierSecretProtector.NewKey()), Accounts(CarrierSecretProtector.NewKey()));

        var demoAccount = await demo.EnsureAsync(CarrierRules.Post, CancellationToken.None);
        var unseen = await tests.GetAsync(CarrierRules.Post, CancellationToken.None);
        var testsAccount = await tests.EnsureAsync(CarrierRules.Post, CancellationToken.None);
        var demoAgain = await demo.EnsureAsync(CarrierRules.Post, CancellationToken.None);

        Assert.Null(unseen);
        Assert.NotEqual(demoAccount.WebhookSecret, testsAccount.WebhookSecret);
        Assert.Equal(demoAccount.WebhookSecret, demoAgain.WebhookSecret);
        await using (var altered = Postgres.CreateCommand("UPDATE carrier_accounts SET webhook_secret = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE carrier = $1"))
        {
            altered.Parameters.AddWithValue(CarrierRules.Post);
            Assert.Equal(2, await altered.ExecuteNonQueryAsync());
        }
        var refused = await Assert.ThrowsAsync<CarrierAccountUnreadableException>(() => demo.GetAsync(CarrierRules.Post, CancellationToken.None));
        Assert.Contains("PUT /v1/admin/carriers/fv-post", refused.Message);
    }
}
