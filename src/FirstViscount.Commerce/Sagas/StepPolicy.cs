namespace FirstViscount.Commerce.Sagas;

/// <summary>How long one attempt of a saga step may take and how often it is retried after a timeout or transient error.</summary>
public sealed record StepPolicy(TimeSpan Timeout, int Retries);
