using System.Threading.Channels;
using Npgsql;

namespace FirstViscount.Postgres;

/// <summary>
/// Group commit for one shard: writes that arrive while a batch is in flight wait and then go together, in
/// one round trip and one transaction. Each caller is answered only after that transaction has committed,
/// so nothing is acknowledged before it is durable. Each write keeps its own version check.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly NpgsqlDataSource dataSource;
    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public GroupCommitWriter(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        loop = Task.Run(RunAsync);
    }

    public Task<long?> WriteAsync(NpgsqlBatchCommand command)
    {
        var write = new PendingWrite(command);
        if (!queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }
        return write.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            try
            {
                var versions = await StateWrite.ExecuteAsync(dataSource, [.. batch.Select(w => w.Command)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(versions[i]);
                }
            }
            catch (Exception error)
            {
                // The transaction did not commit: none of these writes happened.
                foreach (var write in batch)
                {
                    write.Completion.TrySetException(error);
                }
            }
            batch.Clear();
        }
    }

    private sealed record PendingWrite(NpgsqlBatchCommand Command)
    {
        public TaskCompletionSource<long?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
