using System.Collections.Concurrent;

namespace FirstViscount.Cluster.Tests.Grains;

public interface ITransferGrain : IGrainWithStringKey
{
    Task<int> Length(byte[] data);

    Task<byte[]> Make(int size);

    /// <summary>Signals "inside", then waits until the test opens the gate.</summary>
    Task Hang(string gate);
}

public class TransferGrain : Grain, ITransferGrain
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Inside = new();

    public Task<int> Length(byte[] data) => Task.FromResult(data.Length);

    public Task<byte[]> Make(int size) => Task.FromResult(new byte[size]);

    public Task Hang(string gate)
    {
        Inside.GetOrAdd(gate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return new TaskCompletionSource().Task;
    }
}
