namespace FirstViscount.Cluster.Tests.Grains;

public interface IAccountGrain : IGrainWithStringKey
{
    Task<long> Deposit(long amount);

    Task<long> Balance();
}

public sealed class AccountState
{
    public long Balance { get; set; }
    public int Deposits { get; set; }
}

[GrainType("test-account")]
public class AccountGrain([PersistentState("account")] IPersistentState<AccountState> account) : Grain, IAccountGrain
{
    public async Task<long> Deposit(long amount)
    {
        account.State.Balance += amount;
        account.State.Deposits++;
        await account.WriteStateAsync();
        return account.State.Balance;
    }

    public Task<long> Balance() => Task.FromResult(account.State.Balance);
}
