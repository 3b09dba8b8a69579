using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Commerce.Notifications;

/// <summary>
/// Sends what the send history holds, in every silo: it claims messages that are due (an attempt counted, the next
/// one scheduled with back-off), hands them to the channel and marks them sent, or failed once out of attempts. A
/// silo that dies mid-send leaves its claimed messages due again later; the channel keeps a message once by its id.
/// </summary>
public sealed class NotificationSender(NotificationStore store, INotificationChannel channel, NotificationOptions options, ILogger<NotificationSender> logger)
    : BackgroundService
{
    private const int BatchSize = 100;
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Messages were added: look now rather than at the next poll.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "Sending notifications failed; trying again at the next poll");
            }
            try
            {
                await wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One claimed batch, sent; returns how many were claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await store.ClaimDueAsync(BatchSize, options.RetryDelay, cancellationToken);
        foreach (var message in due)
        {
            try
            {
                await channel.SendAsync(message, cancellationToken);
                await store.MarkAsync(message.NotificationId, NotificationStatus.Sent, cancellationToken);
            }
            catch (NotificationChannelException failure)
            {
                var givenUp = message.Attempts >= options.MaxAttempts;
                logger.LogWarning("Notification {Id} attempt {Attempt} failed: {Reason}{Outcome}", message.NotificationId, message.Attempts, failure.Message,
                    givenUp ? "; given up" : "");
                if (givenUp)
                {
                    await store.MarkAsync(message.NotificationId, NotificationStatus.Failed, cancellationToken);
                }
            }
        }
        return due.Count;
    }
}
