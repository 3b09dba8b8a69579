using FirstViscount.EventSourcing;
using FirstViscount.Reminders;

namespace FirstViscount.Commerce.Inventory;

[GrainType("inventory-sku")]
public sealed class InventorySkuGrain(IEventStore store, EventSerializer serializer, IReminderRegistry reminders)
    : EventSourcedGrain<InventoryState>(store, serializer), IInventorySkuGrain
{
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(15);
    private const string ExpiryReminder = "expire-reservations";

    private readonly Queue<InventoryCommand> pending = new();
    private bool flushing;
    private DateTimeOffset? scheduledExpiry;

    private string Sku => GetPrimaryKeyString();

    private DateTimeOffset Now => GrainContext.TimeProvider.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        scheduledExpiry = State.Reservations.Count == 0 ? null : DateTimeOffset.MinValue; // re-sync the reminder on the first change
    }

    public Task<StockLevels> Receive(int quantity, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        return Submit(_ => [new StockReceived(Sku, quantity, reason)]);
    }

    public Task<StockLevels> Adjust(int delta, string reason) => Submit(draft =>
        draft.OnHand + delta < draft.Reserved || draft.OnHand + delta < 0
            ? throw new StockConflictException($"Adjusting {Sku} by {delta} would leave {draft.OnHand + delta} on hand with {draft.Reserved} reserved.")
            : [new StockAdjusted(Sku, delta, reason)]);

    public Task<StockLevels> SetReorderPoint(int reorderPoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reorderPoint);
        return Submit(_ => [new ReorderPointSet(Sku, reorderPoint)]);
    }

    public async Task<ReservationResult> Reserve(string orderId, int quantity, TimeSpan hold)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var outcome = ReservationOutcome.Reserved;
        var levels = await Submit(draft =>
        {
            if (draft.CommittedOrders.Contains(orderId) || draft.Reservations.ContainsKey(orderId))
            {
                return []; // already done: the same answer again
            }
            if (draft.Available < quantity)
            {
                outcome = ReservationOutcome.InsufficientStock;
                return [];
            }
            var now = Now;
            List<object> events = [new StockReserved(Sku, orderId, quantity, now, now + hold)];
            if (draft.Available - quantity <= draft.ReorderPoint && draft.Available > draft.ReorderPoint)
            {
                events.Add(new LowStockReached(Sku, draft.Available - quantity, draft.ReorderPoint));
            }
            return events;
        });
        return new ReservationResult(outcome, levels);
    }

    public Task<StockLevels> Release(string orderId, string reason) => Submit(draft =>
        draft.Reservations.TryGetValue(orderId, out var held) ? [new ReservationReleased(Sku, orderId, held.Quantity, reason)] : []);

    public Task<StockLevels> Commit(string orderId) => Submit(draft =>
        draft.CommittedOrders.Contains(orderId) ? []
        : draft.Reservations.TryGetValue(orderId, out var held) ? [new ReservationCommitted(Sku, orderId, held.Quantity)]
        : throw new StockConflictException($"Order {orderId} holds no stock of {Sku} to commit (never reserved, released or expired)."));

    public Task<StockLevels> GetLevels() => Task.FromResult(Levels(State, Version));

    public async Task<IReadOnlyList<StockMovement>> GetMovements(int page, int pageSize)
    {
        var history = await ReadHistoryAsync();
        return [.. history.Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize).Select(recorded => ToMovement(recorded, Serializer.Deserialize(recorded)))];
    }

    public Task ReceiveReminder(string reminderName, CancellationToken cancellationToken) =>
        reminderName != ExpiryReminder ? Task.CompletedTask : Submit(draft =>
        {
            var now = Now;
            return [.. draft.Reservations.Where(r => r.Value.ExpiresAt <= now)
                .Select(r => (object)new ReservationReleased(Sku, r.Key, r.Value.Quantity, "expired"))];
        });

    protected override void Apply(InventoryState state, object @event) => state.Apply(@event);

    private static StockLevels Levels(InventoryState state, long version) =>
        new(string.Empty, state.OnHand, state.Reserved, state.Available, state.ReorderPoint, version);

    /// <summary>Queues a change; the single flush loop decides it against the state including earlier queued changes.</summary>
    private Task<StockLevels> Submit(Func<InventoryState, IReadOnlyList<object>> decide)
    {
        var command = new InventoryCommand(decide);
        pending.Enqueue(command);
        if (!flushing)
        {
            flushing = true;
            _ = FlushAsync();
        }
        return command.Completion.Task;
    }

    /// <summary>Runs on the activation: decides every queued change, appends all resulting events at once, then answers.</summary>
    private async Task FlushAsync()
    {
        try
        {
            while (pending.Count > 0)
            {
                var batch = new List<(InventoryCommand Command, StockLevels? Levels, Exception? Error)>();
                var draft = State.Clone();
                var events = new List<object>();
                while (batch.Count < 512 && pending.TryDequeue(out var command))
                {
                    try
                    {
                        var decided = command.Decide(draft);
                        foreach (var @event in decided)
                        {
                            draft.Apply(@event);
                        }
                        events.AddRange(decided);
                        batch.Add((command, null, null));
                    }
                    catch (Exception error)
                    {
                        batch.Add((command, null, error));
                    }
                }
                try
                {
                    await RaiseAsync(events);
                    await SyncExpiryReminderAsync();
                }
                catch (Exception error)
                {
                    foreach (var (command, _, _) in batch)
                    {
                        command.Completion.TrySetException(error);
                    }
                    throw;
                }
                var levels = Levels(State, Version) with { Sku = Sku };
                foreach (var (command, _, error) in batch)
                {
                    if (error is null)
                    {
                        command.Completion.TrySetResult(levels);
                    }
                    else
                    {
                        command.Completion.TrySetException(error);
                    }
                }
            }
        }
        catch (Exception error)
        {
            while (pending.TryDequeue(out var command))
            {
                command.Completion.TrySetException(error);
            }
            if (error is InconsistentStateException)
            {
                DeactivateOnIdle(); // another writer got in: re-read the stream on the next activation
            }
        }
        finally
        {
            flushing = false;
        }
    }

    private async Task SyncExpiryReminderAsync()
    {
        DateTimeOffset? earliest = State.Reservations.Count == 0 ? null : State.Reservations.Values.Min(r => r.ExpiresAt);
        if (earliest == scheduledExpiry)
        {
            return;
        }
        if (earliest is { } due)
        {
            await reminders.RegisterOrUpdateAsync(GrainId, ExpiryReminder, due, period: null);
        }
        else
        {
            await reminders.UnregisterAsync(GrainId, ExpiryReminder);
        }
        scheduledExpiry = earliest;
    }

    private static StockMovement ToMovement(RecordedEvent recorded, object @event) => @event switch
    {
        StockReceived e => new(recorded.Version, "receipt", e.Quantity, null, e.Reason, recorded.RecordedAt),
        StockAdjusted e => new(recorded.Version, "adjustment", e.Delta, null, e.Reason, recorded.RecordedAt),
        StockReserved e => new(recorded.Version, "reservation", e.Quantity, e.OrderId, null, recorded.RecordedAt),
        ReservationReleased e => new(recorded.Version, "release", e.Quantity, e.OrderId, e.Reason, recorded.RecordedAt),
        ReservationCommitted e => new(recorded.Version, "commit", e.Quantity, e.OrderId, null, recorded.RecordedAt),
        LowStockReached e => new(recorded.Version, "low-stock", e.Available, null, null, recorded.RecordedAt),
        ReorderPointSet e => new(recorded.Version, "reorder-point", e.ReorderPoint, null, null, recorded.RecordedAt),
        _ => new(recorded.Version, recorded.Type, 0, null, null, recorded.RecordedAt),
    };

    private sealed class InventoryCommand(Func<InventoryState, IReadOnlyList<object>> decide)
    {
        public Func<InventoryState, IReadOnlyList<object>> Decide { get; } = decide;

        public TaskCompletionSource<StockLevels> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
