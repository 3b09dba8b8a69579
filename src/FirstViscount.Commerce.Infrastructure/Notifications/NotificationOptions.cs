namespace FirstViscount.Commerce.Notifications;

/// <summary>Settings Notifications:*.</summary>
public sealed class NotificationOptions
{
    /// <summary>Where low-stock messages of a SKU without a supplier of its own go.</summary>
    public string SupplierEmail { get; set; } = "supplier@firstviscount.local";

    /// <summary>How often each silo looks for messages due (it is also woken when a batch adds some).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait after a first failed attempt; it doubles with each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts before a message is given up as Failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (1L << Math.Min(attempt - 1, 30))));
}
