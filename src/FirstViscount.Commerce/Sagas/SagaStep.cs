using System.Data.Common;
using FirstViscount.Commerce.Payments;
using FirstViscount.EventSourcing;


namespace FirstViscount.Commerce.Sagas;

/// <summary>The outcome of a step: its value, or why it kept failing.</summary>
public readonly record struct StepOutcome<T>(T? Value, string? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Runs saga steps with a timeout per attempt and retries after transient errors (timeouts, unreachable silos,
/// gateway hiccups, storage errors). Business outcomes are results, not errors, and are never retried here.
/// </summary>
public static class SagaStep
{
    public static async Task<StepOutcome<T>> RunAsync<T>(StepPolicy policy, TimeSpan backoff, string what, Func<CancellationToken, Task<T>> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(policy.Timeout);
            try
            {
                return new StepOutcome<T>(await action(timeout.Token).WaitAsync(policy.Timeout), null);
            }
            catch (Exception error) when (IsTransient(error) && attempt < policy.Retries)
            {
                await Task.Delay(backoff);
            }
            catch (Exception error) when (IsTransient(error))
            {
                return new StepOutcome<T>(default, $"{what} did not succeed after {policy.Retries + 1} attempts ({Describe(error)})");
            }
        }
    }

    /// <summary>For compensation, which must finish: retries until it does (a crash is continued by the saga's reminder).</summary>
    public static async Task RetryUntilDoneAsync<T>(TimeSpan timeout, TimeSpan backoff, Func<CancellationToken, Task<T>> action)
    {
        while (true)
        {
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await action(cancellation.Token).WaitAsync(timeout);
                return;
            }
            catch (Exception error) when (IsTransient(error))
            {
                await Task.Delay(backoff);
            }
        }
    }

    /// <summary>
    /// Errors worth another attempt: timeouts and cancellations, the cluster's own (an unreachable or dead silo, a
    /// rejected message, a storage failure or version conflict, all OrleansException), a database or store that
    /// does not answer, an event stream another activation appended to, and a payment gateway hiccup.
    /// </summary>
    public static bool IsTransient(Exception error) =>
        error is TimeoutException or OperationCanceledException or OrleansException or DbException or DependencyUnavailableException
            or WrongExpectedVersionException or PaymentGatewayUnavailableException or Delivery.CarrierUnavailableException;

    private static string Describe(Exception error) => error is TimeoutException or OperationCanceledException ? "timed out" : error.Message;
}
