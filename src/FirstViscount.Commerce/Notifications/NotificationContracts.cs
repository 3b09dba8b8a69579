namespace FirstViscount.Commerce.Notifications;

public enum NotificationStatus { Pending, Sent, Failed }

/// <summary>
/// One message in the send history: to whom, rendered from which template version with which values, and how sending
/// went. Its id is the event's and the channel's, so an event delivered twice makes it once.
/// </summary>
public sealed record Notification(
    string NotificationId, string RecipientId, string? OrderId, string Template, int TemplateVersion, string Channel, string Address,
    string Subject, string Body, IReadOnlyDictionary<string, string> Context, NotificationStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>Where messages leave the platform (e-mail and SMS providers; a simulator's outbox here). Sending the same id again must not send twice.</summary>
public interface INotificationChannel
{
    Task SendAsync(Notification message, CancellationToken cancellationToken);
}

/// <summary>The channel failed; the message is tried again later.</summary>
public sealed class NotificationChannelException(string message) : FirstViscountException(message);
