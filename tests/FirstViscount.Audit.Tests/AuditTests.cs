using System.Diagnostics.Metrics;
using FirstViscount.Analytics.ClickHouse;
using FirstViscount.Analytics.Retention;
using FirstViscount.Postgres;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using FirstViscount.Analytics.Sink;
using FirstViscount.Commerce.Inventory;
using FirstViscount.Commerce.Orders;
using FirstViscount.Commerce.Payments;

namespace FirstViscount.Audit.Tests;

/// <summary>
/// The consistency auditor (DESIGN.md's invariants, issue "Operations"): a shop that real checkouts went through is
/// consistent; each kind of inconsistency, injected into a copy of it, is reported with what it is about.
/// </summary>
[Trait("Category", "Ops")]
public sealed class AuditTests(AuditedShop shop) : IClassFixture<AuditedShop>
{
    private static IEnumerable<AuditFinding> Of(AuditReport report, string check) => report.Findings.Where(finding => finding.Check == check);

    /// <summary>Audits the copy and returns what <paramref name="check"/> found, which must be one finding.</summary>
    private static async Task<AuditFinding> OnlyFindingAsync(ShopCopy copy, string check) =>
        Assert.Single(Of(await copy.Auditor().AuditAsync("test"), check));

    private static string Checks(AuditReport report) => string.Join("; ", report.Checks.Select(c => $"{c.Check} {c.Status} {c.Note}")) +
        " | " + string.Join("; ", report.Findings.Select(f => $"{f.Check} {f.Subject}: {f.Detail}"));

    [Fact]
    public async Task A_shop_that_checkouts_went_through_is_consistent_and_the_run_is_recorded_with_its_event_and_metric()
    {
        await using var copy = await shop.CopyAsync();
        var findings = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AuditMetrics.MeterName && instrument.Name == "firstviscount.audit.findings")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => findings[(string)tags[0].Value!] = value);
        listener.Start();

        var report = await copy.Auditor().RunAsync("test");
        listener.RecordObservableInstruments();

        Assert.True(report.IsConsistent, Checks(report));
        Assert.All(report.Checks, check => Assert.Equal(AuditCheckStatus.Consistent, check.Status));
        Assert.True(report.EventsAudited > 20, $"{report.EventsAudited} events audited");
        var (latest, _) = await AuditLog.LatestAsync(copy.Postgres);
        Assert.Equal(report.RunId, latest!.RunId);
        Assert.Equal(report.Checks, latest.Checks);
        await using var completed = copy.Postgres.CreateCommand("SELECT payload->>'findings' FROM events WHERE stream_id = $1 AND event_type = $2 AND metadata->>'correlationId' = $3");
        completed.Parameters.AddWithValue(AuditLog.StreamId);
        completed.Parameters.AddWithValue(AuditLog.CompletedEventType);
        completed.Parameters.AddWithValue(report.RunId.ToString());
        Assert.Equal("0", await completed.ExecuteScalarAsync());
        Assert.Equal(0, findings["inventory-ledger"]);
        Assert.Equal(report.Checks.Count, findings.Count);
    }

    [Fact]
    public async Task Stock_reserved_beyond_what_is_on_hand_is_reported_with_the_version_where_available_went_negative()
    {
        await using var copy = await shop.CopyAsync();
        var sku = shop.Skus[0];
        var now = DateTimeOffset.UtcNow;
        await copy.AppendAsync($"inventory-sku-{sku}", [new StockReserved(sku, "o-greedy", 500, now, now.AddMinutes(15))]);

        var finding = await OnlyFindingAsync(copy, "inventory-ledger");
        Assert.Equal(sku, finding.Subject);
        Assert.Contains("available is -", finding.Detail);
    }

    [Fact]
    public async Task A_snapshot_that_differs_from_the_fold_of_its_ledger_is_reported()
    {
        await using var copy = await shop.CopyAsync();
        var sku = shop.Skus[1];
        await copy.ExecuteAsync("""
            INSERT INTO snapshots (stream_id, version, state)
            SELECT stream_id, max(version), '{"onHand": 99, "reserved": 0, "reorderPoint": 0, "reservations": {}, "committedOrders": []}'::jsonb
            FROM events WHERE stream_id = $1 GROUP BY stream_id
            """, $"inventory-sku-{sku}");

        var finding = await OnlyFindingAsync(copy, "inventory-ledger");
        Assert.Equal(sku, finding.Subject);
        Assert.Contains("holds on hand 99", finding.Detail);
    }

    [Fact]
    public async Task A_confirmed_order_whose_payment_was_not_captured_is_reported()
    {
        await using var copy = await shop.CopyAsync();
        await copy.ExecuteAsync("DELETE FROM events WHERE stream_id = $1 AND event_type = 'payment.captured'", $"payment-{shop.ConfirmedOrder}");

        var finding = await OnlyFindingAsync(copy, "orders-payments");
        Assert.Equal(shop.ConfirmedOrder, finding.Subject);
        Assert.Equal("the order is Confirmed without a captured payment", finding.Detail);
    }

    [Fact]
    public async Task A_payment_captured_twice_is_reported()
    {
        await using var copy = await shop.CopyAsync();
        var order = shop.ConfirmedOrder;
        await copy.AppendAsync($"payment-{order}", [new PaymentCaptured(order, order, 37.50m, "EUR", "cap_again")]);

        var finding = await OnlyFindingAsync(copy, "orders-payments");
        Assert.Equal(order, finding.Subject);
        Assert.Contains("captured 2 times", finding.Detail);
    }

    [Fact]
    public async Task A_captured_payment_without_its_order_is_reported_once_settled()
    {
        await using var copy = await shop.CopyAsync();
        var (settled, recent) = ($"o-ghost-{Guid.NewGuid():N}", $"o-young-{Guid.NewGuid():N}");
        foreach (var (order, ago) in new[] { (settled, TimeSpan.FromHours(3)), (recent, TimeSpan.FromMinutes(1)) })
        {
            await copy.AppendAsync($"payment-{order}", [
                new PaymentAuthorized(order, order, 12.50m, "EUR", "tok_ok", "auth_1", "payer"),
                new PaymentCaptured(order, order, 12.50m, "EUR", "cap_1")], ago);
        }

        var finding = await OnlyFindingAsync(copy, "orders-payments");
        Assert.Equal(settled, finding.Subject); // the young one may still be a checkout in flight
        Assert.Equal("a payment of 12.50 is captured for an order that does not exist", finding.Detail);
    }

    [Fact]
    public async Task A_failed_order_whose_reservation_was_never_released_is_reported()
    {
        await using var copy = await shop.CopyAsync();
        await copy.ExecuteAsync("DELETE FROM events WHERE stream_id = $1 AND event_type = 'inventory.reservation-released' AND payload->>'orderId' = $2",
            $"inventory-sku-{shop.Skus[1]}", shop.DeclinedOrder);

        var finding = await OnlyFindingAsync(copy, "reservations");
        Assert.Equal($"{shop.DeclinedOrder}/{shop.Skus[1]}", finding.Subject);
        Assert.Equal($"the order is failed but 2 of {shop.Skus[1]} are still held for it", finding.Detail);
    }

    [Fact]
    public async Task Events_the_sink_passed_without_delivering_and_rows_that_are_not_in_the_log_are_reported()
    {
        await using var copy = await shop.CopyAsync();
        var order = shop.ConfirmedOrder;
        await copy.AppendAsync($"order-{order}", [new OrderCancelled(order, "too late", DateTimeOffset.UtcNow)]);
        await using (var last = copy.Postgres.CreateCommand("SELECT log_partition, transaction_id, position FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1"))
        {
            last.Parameters.AddWithValue($"order-{order}");
            await using var reader = await last.ExecuteReaderAsync();
            await reader.ReadAsync();
            // The queue's checkpoint moved past the event, which never reached ClickHouse.
            await new EventLogCheckpoints(copy.Postgres, AnalyticsStreams.ProviderName).SaveAsync(reader.GetInt16(0), new(reader.GetFieldValue<ulong>(1), reader.GetInt64(2)));
        }
        var month = DateTime.UtcNow.AddHours(-3);
        await copy.ClickHouse.InsertAsync("fv_cart_activity", ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"],
            [[Guid.NewGuid(), "cart-phantom", "created", "", 0, month]]);

        var report = await copy.Auditor().AuditAsync("test");

        var findings = Of(report, "clickhouse-totals").ToArray();
        Assert.Equal(2, findings.Length);
        Assert.Contains(findings, f => f.Subject == $"fv_orders/{month:yyyyMM}" && f.Detail.EndsWith(": 1 lost", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Subject == $"fv_cart_activity/{month:yyyyMM}" && f.Detail.EndsWith(": 1 that are not in the log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_hourly_rollup_that_differs_from_the_log_is_reported()
    {
        await using var copy = await shop.CopyAsync();
        var rows = await copy.ClickHouse.QueryAsync("SELECT toString(hour), orders, units, toString(revenue), computed FROM fv_sales_hourly FINAL");
        var row = Assert.Single(rows); // the confirmed orders' hour, rolled up by the sink
        await copy.ClickHouse.ExecuteAsync(ClickHouseSql.Format("INSERT INTO fv_sales_hourly (hour, orders, units, revenue, computed) SELECT toDateTime({0}, 'UTC'), 7, 9, toDecimal64(99, 2), {1}",
            row[0], ulong.Parse(row[4]!) + 1));

        var finding = await OnlyFindingAsync(copy, "read-models");
        Assert.Equal($"fv_sales_hourly/{row[0]}", finding.Subject);
        Assert.Equal($"the roll-up holds 7 orders, 9 units, 99.00; the log's confirmed orders are {row[1]}, {row[2]} units, {row[3]}", finding.Detail);
    }

    [Fact]
    public async Task A_monthly_product_rollup_is_checked_against_the_logs_confirmed_lines_of_each_closed_month()
    {
        await using var copy = await shop.CopyAsync();
        var (order, ago) = ($"o-old-{Guid.NewGuid():N}", TimeSpan.FromDays(70)); // in a closed month, which the roll-up answers for
        OrderLine[] lines = [new("OLD-MUG", "Mug", 2, 9.99m), new("OLD-TEA", "Tea", 1, 4.50m)];
        var at = DateTimeOffset.UtcNow - ago;
        await copy.AppendAsync($"order-{order}", [new OrderPlaced(order, "c-old", lines, 24.48m, "EUR", new ShippingAddress("Ada", "1 Main St", null, "Berlin", "10115", "DE"), at),
            new OrderConfirmed(order, "c-old", lines, 24.48m, "EUR", at)], ago);
        await copy.DeliverAsync(); // the sink's facts, and the roll-ups of the closed hour and of its month
        var month = new DateOnly(at.Year, at.Month, 1);
        var rolled = await copy.ClickHouse.QueryAsync(ClickHouseSql.Format(
            "SELECT sku, units, toString(revenue) FROM fv_product_sales_monthly FINAL WHERE month = {0} AND startsWith(sku, 'OLD-') ORDER BY sku", month));

        var consistent = Of(await copy.Auditor().AuditAsync("test"), "read-models").ToArray();
        await copy.ClickHouse.InsertAsync("fv_product_sales_monthly", ["month", "sku", "units", "revenue", "computed"], [[month, "OLD-MUG", 3L, 29.97m, ulong.MaxValue]]);
        var finding = await OnlyFindingAsync(copy, "read-models");

        Assert.Equal(["OLD-MUG 2 19.98", "OLD-TEA 1 4.50"], rolled.Select(row => string.Join(' ', row)));
        Assert.Empty(consistent);
        Assert.Equal($"fv_product_sales_monthly/{month:yyyy-MM-dd}/OLD-MUG", finding.Subject);
        Assert.Equal("the roll-up holds 3 units, 29.97; the log's confirmed lines are 2 units, 19.98", finding.Detail);
    }

    [Fact]
    public async Task Without_ClickHouse_the_PostgreSQL_checks_still_run_and_ClickHouse_down_is_a_failed_check_not_a_failed_audit()
    {
        await using var copy = await shop.CopyAsync();
        var unreachable = new ClickHouseClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/"), Timeout = TimeSpan.FromSeconds(5) }, copy.ClickHouse.Database);

        var without = await new ConsistencyAuditor(copy.Postgres, null, new AuditOptions()).AuditAsync("test");
        var down = await new ConsistencyAuditor(copy.Postgres, unreachable, new AuditOptions()).AuditAsync("test");

        Assert.True(without.IsConsistent, Checks(without));
        Assert.Equal([AuditCheckStatus.Skipped, AuditCheckStatus.Skipped], without.Checks.Where(c => c.Check is "clickhouse-totals" or "read-models").Select(c => c.Status));
        Assert.False(down.IsConsistent);
        Assert.Equal(AuditCheckStatus.Consistent, down.Checks.Single(c => c.Check == "orders-payments").Status);
        Assert.Contains("cannot be reached", down.Checks.Single(c => c.Check == "clickhouse-totals").Note);
    }

    [Fact]
    public async Task The_report_says_when_each_retention_job_last_ran_and_what_it_removed()
    {
        await using var copy = await shop.CopyAsync();
        var now = DateTimeOffset.UtcNow;
        var threeYearsAgo = now.AddYears(-3).UtcDateTime;
        await copy.ClickHouse.InsertAsync("fv_cart_activity", ["event_id", "cart_id", "kind", "sku", "quantity", "occurred_at"],
            [[Guid.NewGuid(), "cart-old", "created", "", 0, threeYearsAgo]]);
        var archive = Directory.CreateTempSubdirectory("fv-audit-archive-");
        try
        {
            Assert.Empty((await AuditLog.LatestAsync(copy.Postgres)).Retention);

            await ClickHouseRetention.RunAsync(copy.ClickHouse, copy.Postgres, now, ClickHouseRetention.DefaultPeriod);
            await EventArchive.ArchiveAsync(copy.Postgres, ["order-", "payment-"], now.AddYears(-7), archive.FullName);
            var report = await copy.Auditor().AuditAsync("test");

            var partitions = Assert.Single(report.Retention, run => run.Job == RetentionLog.ClickHousePartitions);
            Assert.Equal(1, partitions.Removed);
            Assert.Equal($"dropped fv_cart_activity/{threeYearsAgo:yyyyMM}", partitions.Detail);
            var events = Assert.Single(report.Retention, run => run.Job == RetentionLog.EventArchive);
            Assert.Equal(0, events.Removed);
            Assert.InRange(events.RanAt, now.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Equal(report.Retention, (await AuditLog.LatestAsync(copy.Postgres)).Retention);
        }
        finally
        {
            archive.Delete(recursive: true);
        }
    }
}
