using System.Collections.Concurrent;

namespace FirstViscount.Transport;

/// <summary>
/// Delivers frames one after another on the thread pool, in the order they were sent, as a socket would:
/// a cancel must never overtake the request it cancels.
/// </summary>
internal sealed class OrderedDelivery(Action<byte[]> deliver) : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<byte[]> frames = new();
    private int scheduled;

    public void Enqueue(byte[] frame)
    {
        frames.Enqueue(frame);
        if (Interlocked.Exchange(ref scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            while (frames.TryDequeue(out var frame))
            {
                deliver(frame);
            }
            Volatile.Write(ref scheduled, 0);
            // A frame enqueued after the last TryDequeue but before the reset would otherwise wait forever.
            if (frames.IsEmpty || Interlocked.Exchange(ref scheduled, 1) != 0)
            {
                return;
            }
        }
    }
}
