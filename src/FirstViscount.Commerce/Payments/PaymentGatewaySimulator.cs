using System.Collections.Concurrent;

namespace FirstViscount.Commerce.Payments;

/// <summary>
/// The built-in gateway, driven by test tokens as card processors' sandboxes are: tok_ok succeeds, tok_declined
/// is declined, tok_timeout never answers (the caller's step timeout ends it), tok_flaky fails its first attempt
/// and then succeeds. Idempotent per key, and it counts charges so tests can prove nothing was captured twice.
/// </summary>
public sealed class PaymentGatewaySimulator : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, GatewayResult> completed = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentDictionary<string, string> tokenOfAuthorization = new();
    private readonly ConcurrentDictionary<string, int> capturesPerAuthorization = new();

    /// <summary>Added to every authorization and capture, as a real processor takes time (default none).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>How many captures went through for the authorization <paramref name="authorizationReference"/>.</summary>
    public int CapturesOf(string authorizationReference) => capturesPerAuthorization.GetValueOrDefault(authorizationReference);

    public async Task<GatewayResult> AuthorizeAsync(string idempotencyKey, decimal amount, string currency, string paymentToken, CancellationToken cancellationToken)
    {
        if (completed.TryGetValue(idempotencyKey, out var previous))
        {
            return previous;
        }
        await BehaveAsync(paymentToken, idempotencyKey, cancellationToken);
        var result = paymentToken switch
        {
            "tok_declined" => GatewayResult.Decline("card declined"),
            "tok_ok" or "tok_flaky" or "tok_timeout" => GatewayResult.Approve($"auth_{Guid.NewGuid():N}"),
            _ => GatewayResult.Decline("unknown payment token"),
        };
        result = completed.GetOrAdd(idempotencyKey, result);
        if (result.Reference is { } reference)
        {
            tokenOfAuthorization[reference] = paymentToken;
        }
        return result;
    }

    public async Task<GatewayResult> CaptureAsync(string idempotencyKey, string authorizationReference, CancellationToken cancellationToken)
    {
        if (completed.TryGetValue(idempotencyKey, out var previous))
        {
            return previous;
        }
        await BehaveAsync(tokenOfAuthorization.GetValueOrDefault(authorizationReference, "tok_ok"), idempotencyKey, cancellationToken);
        var fresh = GatewayResult.Approve($"cap_{Guid.NewGuid():N}");
        var result = completed.GetOrAdd(idempotencyKey, fresh);
        if (ReferenceEquals(result, fresh))
        {
            capturesPerAuthorization.AddOrUpdate(authorizationReference, 1, (_, n) => n + 1);
        }
        return result;
    }

    public Task<GatewayResult> RefundAsync(string idempotencyKey, string captureReference, decimal amount, CancellationToken cancellationToken) =>
        Task.FromResult(completed.GetOrAdd(idempotencyKey, _ => GatewayResult.Approve($"ref_{Guid.NewGuid():N}")));

    private async Task BehaveAsync(string token, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }
        switch (token)
        {
            case "tok_timeout":
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
            case "tok_flaky" when attempts.AddOrUpdate(idempotencyKey, 1, (_, n) => n + 1) == 1:
                throw new PaymentGatewayUnavailableException("The payment gateway did not respond (simulated flaky first attempt).");
        }
    }
}
