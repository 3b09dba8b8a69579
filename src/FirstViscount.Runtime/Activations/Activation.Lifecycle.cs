using FirstViscount.State;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Activations;

internal sealed partial class Activation
{
    /// <summary>Runs on the executor: creates the grain, reads its state, calls OnActivateAsync.</summary>
    private async Task ActivateAsync()
    {
        try
        {
            Grain created;
            IReadOnlyList<IPersistentStateLoader> states;
            using (GrainContextScope.Enter(this))
            {
                (created, states) = runtime.InstanceFactory.Create(GrainClass, this);
            }
            grain = created;
            using var timeout = new CancellationTokenSource(runtime.Options.CallTimeout);
            foreach (var state in states)
            {
                await state.ReadStateAsync(timeout.Token);
            }
            await created.OnActivateAsync(timeout.Token);
        }
        catch (Exception error)
        {
            LogActivationFailed(runtime.Logger, GrainId, error);
            FailActivation(error);
            return;
        }

        List<WorkItem>? startable;
        bool deactivate;
        lock (gate)
        {
            phase = Phase.Valid;
            lastActiveTimestamp = runtime.Time.GetTimestamp();
            deactivate = TryBeginDeactivation();
            startable = deactivate ? null : TakeStartable();
        }
        StartAll(startable);
        if (deactivate)
        {
            await DeactivateAsync();
        }
    }

    private void FailActivation(Exception error)
    {
        List<WorkItem> failed;
        lock (gate)
        {
            phase = Phase.Invalid;
            failed = [.. waiting];
            waiting.Clear();
        }
        runtime.Directory.Remove(this);
        foreach (var item in failed)
        {
            item.Completion?.TrySetException(error);
        }
        ended.TrySetResult();
    }

    /// <summary>Runs on the executor once nothing else runs: OnDeactivateAsync, then hands queued calls on.</summary>
    private async Task DeactivateAsync()
    {
        var reason = requestedDeactivation!.Value;
        StopTimers();
        try
        {
            using var timeout = new CancellationTokenSource(runtime.Options.DeactivationTimeout);
            if (grain is not null)
            {
                await grain.OnDeactivateAsync(reason, timeout.Token).WaitAsync(runtime.Options.DeactivationTimeout);
            }
        }
        catch (Exception error)
        {
            LogDeactivationFailed(runtime.Logger, GrainId, reason, error);
        }

        runtime.Directory.Remove(this);
        List<WorkItem> leftovers;
        lock (gate)
        {
            phase = Phase.Invalid;
            leftovers = [.. waiting];
            waiting.Clear();
        }
        ended.TrySetResult();
        LogDeactivated(runtime.Logger, GrainId, reason);
        foreach (var item in leftovers)
        {
            if (item.Request is not null)
            {
                // Never started here, so it is safe to run on whichever activation serves the grain now.
                var rerouted = runtime.Router.InvokeAfterActivationEnded(GrainId, item.Request);
                _ = rerouted.ContinueWith(
                    static (done, completion) => ((Invocation.ResponseCompletion)completion!).TrySetFrom(done),
                    item.Completion, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    private static partial void LogActivationFailed(ILogger logger, GrainId grainId, Exception error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} ({Reason}) failed")]
    private static partial void LogDeactivationFailed(ILogger logger, GrainId grainId, DeactivationReason reason, Exception error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Deactivated {GrainId}: {Reason}")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReason reason);
}
