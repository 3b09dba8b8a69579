using System.Text.Json;

namespace FirstViscount.Invocation;

/// <summary>The caller's side of a call that did not complete inline: completed by a local task or a remote response.</summary>
public abstract class ResponseCompletion
{
    public abstract Task Task { get; }

    public abstract bool TrySetFrom(Task completed);

    public abstract bool TrySetResult(ref Utf8JsonReader reader, JsonSerializerOptions options);

    public abstract bool TrySetException(Exception exception);

    public abstract bool TrySetCanceled(CancellationToken cancellationToken);
}

/// <summary>A completion for a <typeparamref name="TResult"/> result. Continuations never run inline on the completing thread.</summary>
public sealed class ResponseCompletion<TResult> : ResponseCompletion
{
    private readonly TaskCompletionSource<TResult> source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task Task => source.Task;

    public override bool TrySetFrom(Task completed)
    {
        if (completed.IsFaulted)
        {
            var errors = completed.Exception!.InnerExceptions;
            return errors.Count == 1 ? source.TrySetException(errors[0]) : source.TrySetException(errors);
        }
        if (completed.IsCanceled)
        {
            return source.TrySetCanceled();
        }
        return source.TrySetResult(completed is Task<TResult> typed ? typed.Result : default!);
    }

    public override bool TrySetResult(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        source.TrySetResult(JsonSerializer.Deserialize<TResult>(ref reader, options)!);

    public override bool TrySetException(Exception exception) => source.TrySetException(exception);

    public override bool TrySetCanceled(CancellationToken cancellationToken) => source.TrySetCanceled(cancellationToken);
}
