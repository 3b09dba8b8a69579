using FirstViscount.Postgres;
using Npgsql;

namespace FirstViscount.Cli.Tests;

/// <summary>`firstviscount replay`: a read model rebuilt from position 0 of the log, with a progress bar and a count.</summary>
[Trait("Category", "Ops")]
public sealed class ReplayCommandTests
{
    [Fact]
    public async Task Replaying_inventory_levels_folds_every_ledger_and_ends_with_a_count()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using (var ledgers = dataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload) VALUES
              ('inventory-sku-A', 1, gen_random_uuid(), 'inventory.stock-received', '{"sku": "A", "quantity": 7, "reason": "stock"}'),
              ('inventory-sku-A', 2, gen_random_uuid(), 'inventory.stock-adjusted', '{"sku": "A", "delta": -2, "reason": "breakage"}'),
              ('inventory-sku-B', 1, gen_random_uuid(), 'inventory.stock-received', '{"sku": "B", "quantity": 3, "reason": "stock"}'),
              ('order-o-1', 1, gen_random_uuid(), 'order.cancelled', '{"orderId": "o-1", "reason": "test", "at": "2026-12-01T00:00:00Z"}'),
              ('inventory-levels-is-not-rebuilt-from-this', 1, gen_random_uuid(), 'test.other', '{}')
            """))
        {
            await ledgers.ExecuteNonQueryAsync();
        }
        await using (var stale = dataSource.CreateCommand("INSERT INTO inventory_levels (sku, on_hand, reserved, reorder_point, units_sold, version) VALUES ('GONE', 1, 0, 0, 0, 1)"))
        {
            await stale.ExecuteNonQueryAsync();
        }

        var (exitCode, output, error) = await Cli.RunAsync("replay", "inventory-levels", "--connection", database.ConnectionString);

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.Equal("inventory-levels rebuilt from 5 events: 2 SKUs", output.Trim());
        Assert.Contains("replaying into inventory-levels: 5 of 5 (100%)", error);
        await using var levels = dataSource.CreateCommand("SELECT string_agg(sku || ':' || on_hand, ',' ORDER BY sku) FROM inventory_levels");
        Assert.Equal("A:5,B:3", await levels.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Replaying_order_history_lists_each_order_as_its_stream_ends_and_ends_with_a_count()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using (var orders = dataSource.CreateCommand("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload) VALUES
              ('order-o-1', 1, gen_random_uuid(), 'order.placed', '{"orderId": "o-1", "customerId": "c-1", "lines": [{"sku": "A", "name": "Mug", "quantity": 2, "unitPrice": 4.5}], "total": 9.0, "currency": "EUR", "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"}, "at": "2026-12-01T10:00:00+00:00"}'),
              ('order-o-2', 1, gen_random_uuid(), 'order.placed', '{"orderId": "o-2", "customerId": "c-1", "lines": [{"sku": "B", "name": "Tea", "quantity": 1, "unitPrice": 3}], "total": 3, "currency": "EUR", "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"}, "at": "2026-12-01T11:00:00+00:00"}'),
              ('order-o-1', 2, gen_random_uuid(), 'order.cancelled', '{"orderId": "o-1", "reason": "test", "at": "2026-12-01T12:00:00+00:00"}'),
              ('inventory-sku-A', 1, gen_random_uuid(), 'inventory.stock-received', '{"sku": "A", "quantity": 7, "reason": "stock"}')
            """))
        {
            await orders.ExecuteNonQueryAsync();
        }

        var (exitCode, output, error) = await Cli.RunAsync("replay", "order-history", "--connection", database.ConnectionString);

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.Equal("order-history rebuilt from 4 events: 2 orders", output.Trim());
        await using var history = dataSource.CreateCommand("SELECT string_agg(order_id || ':' || status || ':' || version, ',' ORDER BY created_at DESC) FROM order_history WHERE customer_id = 'c-1'");
        Assert.Equal("o-2:Pending:1,o-1:Cancelled:2", await history.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Replaying_shipments_folds_each_shipment_stream_and_ends_with_a_count()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        var dataSource = await database.MigratedWithAsync("""
            INSERT INTO events (stream_id, version, event_id, event_type, payload) VALUES
              ('shipment-o-1', 1, gen_random_uuid(), 'shipment.created', '{"shipmentId": "o-1", "orderId": "o-1", "carrier": "fv-post", "trackingNumber": "FV2345", "country": "DE", "weightGrams": 500, "estimatedDelivery": "2026-12-04"}'),
              ('shipment-o-1', 2, gen_random_uuid(), 'shipment.label-created', '{"shipmentId": "o-1", "orderId": "o-1", "labelReference": "lbl_1"}'),
              ('shipment-o-1', 3, gen_random_uuid(), 'shipment.tracked', '{"shipmentId": "o-1", "orderId": "o-1", "carrierEventId": "e1", "status": "Shipped", "carrierStatus": "PICKED_UP", "location": "Depot", "description": "", "occurredAt": "2026-12-02T10:00:00+00:00"}'),
              ('shipment-o-2', 1, gen_random_uuid(), 'shipment.created', '{"shipmentId": "o-2", "orderId": "o-2", "carrier": "fv-post", "trackingNumber": "FV6789", "country": "DE", "weightGrams": 500, "estimatedDelivery": "2026-12-04"}')
            """);

        var (exitCode, output, error) = await Cli.RunAsync("replay", "shipments", "--connection", database.ConnectionString);

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.Equal("shipments rebuilt from 4 events: 2 shipments", output.Trim());
        await using var list = dataSource.CreateCommand("SELECT string_agg(shipment_id || ':' || status || ':' || version, ',' ORDER BY shipment_id) FROM shipment_list");
        Assert.Equal("o-1:Shipped:3,o-2:Pending:1", await list.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_replay_waits_for_a_transaction_that_holds_the_log_back_instead_of_stopping_short()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await PostgresMigrator.MigrateAsync(dataSource);
        await using var holder = await dataSource.OpenConnectionAsync();
        await using var open = await holder.BeginTransactionAsync();
        await using (var xid = new NpgsqlCommand("SELECT pg_current_xact_id()", holder, open))
        {
            await xid.ExecuteScalarAsync(); // an open transaction older than the events below
        }
        await using (var ledger = dataSource.CreateCommand(
            "INSERT INTO events (stream_id, version, event_id, event_type, payload) VALUES ('inventory-sku-W', 1, gen_random_uuid(), 'inventory.stock-received', '{\"sku\": \"W\", \"quantity\": 4, \"reason\": \"stock\"}')"))
        {
            await ledger.ExecuteNonQueryAsync();
        }

        var replay = Cli.RunAsync("replay", "inventory-levels", "--connection", database.ConnectionString);
        await Task.Delay(500);
        var finishedWhileHeld = replay.IsCompleted;
        await open.CommitAsync();
        var (exitCode, output, error) = await replay;

        Assert.True(exitCode == ExitCodes.Success, error);
        Assert.False(finishedWhileHeld, output);
        Assert.Equal("inventory-levels rebuilt from 1 events: 1 SKUs", output.Trim());
    }

    [Theory]
    [InlineData("'search'", "search")]
    [InlineData("'--connection'", "inventory-levels", "--connection")]
    [InlineData("'ftp://x'", "clickhouse", "--clickhouse", "ftp://x")]
    [InlineData("'--colour'", "order-history", "--colour", "blue")]
    public async Task An_unknown_model_or_option_exits_2_naming_it(string named, params string[] arguments)
    {
        var (exitCode, output, error) = await Cli.RunAsync(["replay", .. arguments]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output);
        Assert.Contains(named, error);
    }
}
