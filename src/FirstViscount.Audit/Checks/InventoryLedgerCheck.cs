namespace FirstViscount.Audit.Checks;

/// <summary>
/// Each SKU's ledger, folded in SQL independently of the grain's code: on hand = received + adjusted − committed,
/// reserved = reserved − released − committed. Available (on hand − reserved) and reserved must never go below zero at
/// any version, and a stored snapshot must equal the fold at its version.
/// </summary>
internal sealed class InventoryLedgerCheck : IAuditCheck
{
    private const int MaxRows = 10_000;

    public string Name => "inventory-ledger";

    public async Task<IReadOnlyList<AuditFinding>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var negative = new HashSet<string>();
        foreach (var row in await context.QueryAsync($"""
            WITH ledger AS (
                SELECT stream_id, version,
                       coalesce(CASE event_type WHEN 'inventory.stock-received' THEN {AuditSql.Number("quantity")}
                                       WHEN 'inventory.stock-adjusted' THEN {AuditSql.Number("delta")}
                                       WHEN 'inventory.reservation-committed' THEN -{AuditSql.Number("quantity")}
                                       END, 0) AS on_hand_change,
                       coalesce(CASE event_type WHEN 'inventory.stock-reserved' THEN {AuditSql.Number("quantity")}
                                       WHEN 'inventory.reservation-released' THEN -{AuditSql.Number("quantity")}
                                       WHEN 'inventory.reservation-committed' THEN -{AuditSql.Number("quantity")}
                                       END, 0) AS reserved_change
                FROM events WHERE stream_id LIKE 'inventory-sku-%'
            ), folded AS (
                SELECT stream_id, version, sum(on_hand_change) OVER running AS on_hand, sum(reserved_change) OVER running AS reserved
                FROM ledger WINDOW running AS (PARTITION BY stream_id ORDER BY version)
            )
            SELECT f.stream_id, f.version, f.on_hand::bigint, f.reserved::bigint, s.version IS NOT NULL, (s.state->>'onHand')::numeric::bigint, (s.state->>'reserved')::numeric::bigint
            FROM folded f LEFT JOIN snapshots s ON s.stream_id = f.stream_id AND s.version = f.version
            WHERE f.reserved < 0 OR f.on_hand < f.reserved
               OR (s.version IS NOT NULL AND ((s.state->>'onHand')::numeric IS DISTINCT FROM f.on_hand OR (s.state->>'reserved')::numeric IS DISTINCT FROM f.reserved))
            ORDER BY f.stream_id, f.version
            LIMIT {MaxRows}
            """, reader => (Stream: reader.GetString(0), Version: reader.GetInt64(1), OnHand: reader.GetInt64(2), Reserved: reader.GetInt64(3),
                HasSnapshot: reader.GetBoolean(4), SnapshotOnHand: reader.IsDBNull(5) ? (long?)null : reader.GetInt64(5),
                SnapshotReserved: reader.IsDBNull(6) ? (long?)null : reader.GetInt64(6)), cancellationToken))
        {
            var sku = Sku(row.Stream);
            if ((row.Reserved < 0 || row.OnHand < row.Reserved) && negative.Add(sku))
            {
                findings.Add(new AuditFinding(Name, sku, row.Reserved < 0
                    ? $"reserved is {row.Reserved} at version {row.Version}: more was released or committed than reserved"
                    : $"available is {row.OnHand - row.Reserved} at version {row.Version} (on hand {row.OnHand}, reserved {row.Reserved})"));
            }
            if (row.HasSnapshot && (row.SnapshotOnHand != row.OnHand || row.SnapshotReserved != row.Reserved))
            {
                findings.Add(new AuditFinding(Name, sku,
                    $"the snapshot at version {row.Version} holds on hand {row.SnapshotOnHand}, reserved {row.SnapshotReserved}; the ledger folds to on hand {row.OnHand}, reserved {row.Reserved}"));
            }
        }
        foreach (var (stream, snapshotVersion, streamVersion) in await context.QueryAsync("""
            SELECT s.stream_id, s.version, coalesce(max(e.version), 0)
            FROM snapshots s LEFT JOIN events e ON e.stream_id = s.stream_id
            WHERE s.stream_id LIKE 'inventory-sku-%'
            GROUP BY s.stream_id, s.version HAVING s.version > coalesce(max(e.version), 0)
            """, reader => (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken))
        {
            findings.Add(new AuditFinding(Name, Sku(stream), $"the snapshot is of version {snapshotVersion}, but the ledger ends at version {streamVersion}"));
        }
        return findings;
    }

    private static string Sku(string stream) => stream["inventory-sku-".Length..];
}
