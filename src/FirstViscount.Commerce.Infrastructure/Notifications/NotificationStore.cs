using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace FirstViscount.Commerce.Notifications;

/// <summary>Templates and the send history as JSONB documents in PostgreSQL (sql/postgres/0019_notifications.sql).</summary>
public sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The newest version of each template and channel (active or not).</summary>
    public async Task<IReadOnlyList<NotificationTemplate>> TemplatesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (template, channel) template, channel, version, document, created_at FROM notification_templates
            ORDER BY template, channel, version DESC
            """);
        return await ReadTemplatesAsync(command, cancellationToken);
    }

    /// <summary>What a message of <paramref name="template"/> by <paramref name="channel"/> is rendered from: its newest version, if active.</summary>
    public async Task<NotificationTemplate?> ActiveAsync(string template, string channel, CancellationToken cancellationToken) =>
        await NewestAsync(template, channel, cancellationToken) is { Active: true } active ? active : null;

    /// <summary>The newest version of <paramref name="template"/> by <paramref name="channel"/>, active or not.</summary>
    public async Task<NotificationTemplate?> NewestAsync(string template, string channel, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT template, channel, version, document, created_at FROM notification_templates WHERE template = $1 AND channel = $2 ORDER BY version DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = template });
        command.Parameters.Add(new NpgsqlParameter { Value = channel });
        return (await ReadTemplatesAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Stores a new version of the template (the next number; two admins at once get two versions, never one lost).</summary>
    public async Task<NotificationTemplate> PutAsync(string template, string channel, string subject, string body, bool active, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notification_templates (template, channel, version, document)
            SELECT $1, $2, coalesce(max(version), 0) + 1, $3 FROM notification_templates WHERE template = $1 AND channel = $2
            RETURNING template, channel, version, document, created_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = template });
        command.Parameters.Add(new NpgsqlParameter { Value = channel });
        command.Parameters.Add(new NpgsqlParameter { Value = new JsonObject { ["subject"] = subject, ["body"] = body, ["active"] = active }.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await ReadTemplatesAsync(command, cancellationToken))[0];
            }
            catch (PostgresException conflict) when (conflict.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 5)
            {
                // Another version took the number meanwhile: take the next one.
            }
        }
    }

    /// <summary>
    /// Records messages not recorded yet (by id); returns how many were new. A message is dated by its event, so the
    /// history lists messages in the order their events happened, even those one batch records at once.
    /// </summary>
    public async Task<int> AddAsync(IReadOnlyList<Notification> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notifications (notification_id, recipient_id, order_id, document, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])
            ON CONFLICT (notification_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.NotificationId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.RecipientId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.OrderId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(Document).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> messages due for an attempt: each counts the attempt and is not due again
    /// before <paramref name="retryAfter"/> of it (doubling per attempt), so a sender that dies leaves them to the next.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> ClaimDueAsync(int limit, Func<int, TimeSpan> retryAfter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $2[least(n.attempts + 1, array_length($2, 1))])
            FROM (SELECT notification_id FROM notifications WHERE status = 'Pending' AND next_attempt_at <= now()
                  ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
            WHERE n.notification_id = due.notification_id
            RETURNING n.notification_id, n.recipient_id, n.order_id, n.document, n.status, n.attempts, n.created_at, n.sent_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(1, 12).Select(attempt => retryAfter(attempt).TotalSeconds).ToArray() });
        return await ReadNotificationsAsync(command, cancellationToken);
    }

    /// <summary>Marks a message sent, or failed for good.</summary>
    public async Task MarkAsync(string notificationId, NotificationStatus status, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE notifications SET status = $2, sent_at = CASE WHEN $2 = 'Sent' THEN now() END WHERE notification_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = notificationId });
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A recipient's messages, or an order's, newest first.</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(string? recipientId, string? orderId, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT notification_id, recipient_id, order_id, document, status, attempts, created_at, sent_at FROM notifications
            WHERE {(recipientId is not null ? "recipient_id = $1" : "order_id = $1")}
            ORDER BY created_at DESC, notification_id LIMIT $2 OFFSET $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = recipientId ?? orderId ?? throw new ArgumentException("A recipient or an order is needed.") });
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (page - 1) * pageSize });
        return await ReadNotificationsAsync(command, cancellationToken);
    }

    private static string Document(Notification message) => new JsonObject
    {
        ["template"] = message.Template,
        ["templateVersion"] = message.TemplateVersion,
        ["channel"] = message.Channel,
        ["address"] = message.Address,
        ["subject"] = message.Subject,
        ["body"] = message.Body,
        ["context"] = JsonSerializer.SerializeToNode(message.Context, Json),
    }.ToJsonString();

    private static async Task<List<NotificationTemplate>> ReadTemplatesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var templates = new List<NotificationTemplate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var document = JsonNode.Parse(reader.GetString(3))!;
            templates.Add(new NotificationTemplate(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), (string?)document["subject"] ?? "",
                (string?)document["body"] ?? "", (bool?)document["active"] ?? false, reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return templates;
    }

    private static async Task<List<Notification>> ReadNotificationsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var document = JsonNode.Parse(reader.GetString(3))!;
            messages.Add(new Notification(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                (string)document["template"]!, (int)document["templateVersion"]!, (string)document["channel"]!, (string)document["address"]!,
                (string)document["subject"]!, (string)document["body"]!, document["context"].Deserialize<Dictionary<string, string>>(Json) ?? [],
                Enum.Parse<NotificationStatus>(reader.GetString(4)), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return messages;
    }
}
