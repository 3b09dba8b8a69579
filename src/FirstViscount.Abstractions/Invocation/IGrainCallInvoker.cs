namespace FirstViscount.Invocation;

/// <summary>The runtime side of a grain reference: routes a request to the grain's activation.</summary>
public interface IGrainCallInvoker
{
    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="target"/>. The returned task is a
    /// <c>Task&lt;TResult&gt;</c> for a <see cref="GrainRequest{TResult}"/> with a result.
    /// </summary>
    Task Invoke(GrainReference target, GrainRequest request);

    IGrainFactory GrainFactory { get; }
}
