using Npgsql;

namespace FirstViscount.Commerce.Notifications;

/// <summary>
/// The built-in e-mail and SMS provider: it "sends" by writing the message to notification_outbox, once per message id.
/// An address containing "flaky" fails its first attempt and one containing "bounce" every attempt, so the back-off
/// and giving up can be seen.
/// </summary>
public sealed class OutboxChannelSimulator(NpgsqlDataSource dataSource) : INotificationChannel
{
    public async Task SendAsync(Notification message, CancellationToken cancellationToken)
    {
        if (message.Address.Contains("bounce", StringComparison.OrdinalIgnoreCase)
            || (message.Address.Contains("flaky", StringComparison.OrdinalIgnoreCase) && message.Attempts == 1))
        {
            throw new NotificationChannelException($"The {message.Channel} provider refused {message.Address} (simulated).");
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notification_outbox (notification_id, channel, address, subject, body) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (notification_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = message.NotificationId });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Address });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Subject });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Body });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
