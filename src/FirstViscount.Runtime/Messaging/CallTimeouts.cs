using FirstViscount.Invocation;

namespace FirstViscount.Messaging;

/// <summary>Fails a pending call with <see cref="GrainCallTimeoutException"/> when it outlives its timeout.</summary>
internal static class CallTimeouts
{
    public static void Register(ResponseCompletion completion, TimeSpan timeout, TimeProvider time, GrainRequest request)
    {
        if (timeout == Timeout.InfiniteTimeSpan || completion.Task.IsCompleted)
        {
            return;
        }
        var timer = time.CreateTimer(
            static state =>
            {
                var (completion, request, timeout) = ((ResponseCompletion, GrainRequest, TimeSpan))state!;
                completion.TrySetException(new GrainCallTimeoutException($"The call {request} did not answer within {timeout.TotalSeconds:0.###} s."));
            },
            (completion, request, timeout), timeout, Timeout.InfiniteTimeSpan);
        completion.Task.ContinueWith(static (_, timer) => ((ITimer)timer!).Dispose(), timer,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
