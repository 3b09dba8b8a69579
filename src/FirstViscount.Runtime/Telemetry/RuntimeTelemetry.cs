using System.Diagnostics;
using System.Diagnostics.Metrics;
using FirstViscount.Invocation;

namespace FirstViscount.Telemetry;

/// <summary>
/// The runtime's traces and metrics: a span per grain call (only built when someone listens, so the local hot
/// path pays one check) and a count of calls by outcome. Exported by OpenTelemetry when the host configures it.
/// </summary>
public static class RuntimeTelemetry
{
    public const string Name = "FirstViscount.Runtime";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("firstviscount.grain.calls", description: "Grain calls by interface, method and outcome");

    /// <summary>Traces and counts <paramref name="call"/>, if anyone listens; returns the task to hand to the caller.</summary>
    internal static Task Observe(Task call, GrainRequest request, GrainId target, bool remote)
    {
        var traced = Source.HasListeners();
        if (!traced && !Calls.Enabled)
        {
            return call;
        }
        var activity = traced ? Source.StartActivity($"{request.InterfaceName}.{request.MethodKey}", remote ? ActivityKind.Client : ActivityKind.Internal) : null;
        activity?.SetTag("firstviscount.grain", target.ToString());
        activity?.SetTag("firstviscount.remote", remote);
        if (call.IsCompleted)
        {
            Complete(call, request, activity);
            return call;
        }
        call.ContinueWith(static (done, state) =>
        {
            var (request, activity) = ((GrainRequest, Activity?))state!;
            Complete(done, request, activity);
        }, (request, activity), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return call;
    }

    private static void Complete(Task call, GrainRequest request, Activity? activity)
    {
        var outcome = call.IsCompletedSuccessfully ? "ok"
            : call.IsCanceled ? "cancelled"
            : call.Exception!.InnerException is GrainCallTimeoutException ? "timeout" : "error";
        Calls.Add(1, new("interface", request.InterfaceName), new("method", request.MethodKey), new("outcome", outcome));
        if (activity is not null)
        {
            activity.SetTag("firstviscount.outcome", outcome);
            activity.SetStatus(outcome == "ok" ? ActivityStatusCode.Ok : ActivityStatusCode.Error, call.Exception?.InnerException?.Message);
            activity.Dispose();
        }
    }
}
