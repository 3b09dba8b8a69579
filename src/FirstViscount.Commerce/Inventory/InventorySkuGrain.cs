using Orleans.Storage;
using FirstViscount.EventSourcing;

namespace FirstViscount.Commerce.Inventory;

[GrainType("inventory-sku")]
[Orleans.Placement.RandomPlacement] // fresh grains spread over the silos (measured: PlacementTests)
public sealed class InventorySkuGrain(IEventStore store, EventSerializer serializer, TimeProvider time)
    : EventSourcedGrain<InventoryState>(store, serializer), IInventorySkuGrain, IRemindable
{
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(15);
    private const string ExpiryReminder = "expire-reservations";

    // Orleans reminders are periodic (at least a minute apart): after the first tick at the earliest expiry,
    // later ticks catch holds that expire meanwhile until the reminder is moved or removed.
    private static readonly TimeSpan ExpiryReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly Queue<InventoryCommand> pending = new();
    private bool flushing;
    private Exception? poisoned;
    private StockLevels committed = new(string.Empty, 0, 0, 0, 0, 0);
    private IGrainReminder? expiryReminder;
    private DateTimeOffset? nextExpiryTick;

    private string Sku => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        committed = Levels();
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

    /// <summary>The levels as last committed (changes being decided are not visible until durable).</summary>
    public Task<StockLevels> GetLevels() => Task.FromResult(committed);

    public async Task<IReadOnlyList<StockMovement>> GetMovements(int page, int pageSize)
    {
        var history = await ReadHistoryAsync();
        return [.. history.Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize).Select(recorded => ToMovement(recorded, Serializer.Deserialize(recorded)))];
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }
        var now = Now;
        nextExpiryTick = now + ExpiryReminderPeriod;
        await Submit(draft => [.. draft.Reservations.Where(r => r.Value.ExpiresAt <= now)
            .Select(r => (object)new ReservationReleased(Sku, r.Key, r.Value.Quantity, "expired"))]);
        if (State.Reservations.Count == 0)
        {
            // Nothing is held any more: the reminder goes (a new hold registers it again).
            if ((expiryReminder ?? await this.GetReminder(ExpiryReminder)) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            (expiryReminder, nextExpiryTick) = (null, null);
        }
    }

    protected override void Apply(InventoryState state, object @event) => state.Apply(@event);

    private StockLevels Levels() => new(Sku, State.OnHand, State.Reserved, State.Available, State.ReorderPoint, Version);

    /// <summary>Queues a change; the single flush loop decides it against the state including earlier queued changes.</summary>
    private Task<StockLevels> Submit(Func<InventoryState, IReadOnlyList<object>> decide)
    {
        if (poisoned is not null)
        {
            return Task.FromException<StockLevels>(new InconsistentStateException($"Inventory {Sku} is reloading after a failed commit.", poisoned));
        }
        var command = new InventoryCommand(decide);
        pending.Enqueue(command);
        if (!flushing)
        {
            flushing = true;
            _ = FlushAsync();
        }
        return command.Completion.Task;
    }

    /// <summary>
    /// Runs on the activation: decides every queued change in order against the state (applying each decision
    /// at once, so later ones see earlier ones), appends all their events in one write, and answers only after
    /// it committed. A failed write leaves the state ahead of the stream, so the activation is poisoned and
    /// deactivates; the next one re-reads the stream.
    /// </summary>
    private async Task FlushAsync()
    {
        try
        {
            while (pending.Count > 0)
            {
                var batch = new List<(InventoryCommand Command, Exception? Error)>();
                var events = new List<object>();
                while (batch.Count < 512 && pending.TryDequeue(out var command))
                {
                    try
                    {
                        var decided = command.Decide(State);
                        foreach (var @event in decided)
                        {
                            State.Apply(@event);
                        }
                        events.AddRange(decided);
                        batch.Add((command, null));
                    }
                    catch (Exception error) when (error is not InconsistentStateException)
                    {
                        batch.Add((command, error));
                    }
                }
                try
                {
                    await AppendAppliedAsync(events);
                    committed = Levels();
                    await ScheduleExpiryAsync(events);
                }
                catch (Exception error)
                {
                    foreach (var (command, _) in batch)
                    {
                        command.Completion.TrySetException(error);
                    }
                    throw;
                }
                foreach (var (command, error) in batch)
                {
                    if (error is null)
                    {
                        command.Completion.TrySetResult(committed);
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
            poisoned = error;
            while (pending.TryDequeue(out var command))
            {
                command.Completion.TrySetException(error);
            }
            DeactivateOnIdle();
        }
        finally
        {
            flushing = false;
        }
    }

    /// <summary>
    /// Keeps the reminder that releases expired holds: registered when the SKU holds stock and no reminder is known,
    /// moved earlier when a new hold would otherwise be released more than a tick late, and removed by the tick that
    /// finds nothing held. Not moved on every change: a busy SKU would write the reminder table twice per order.
    /// </summary>
    private async Task ScheduleExpiryAsync(IReadOnlyList<object> committedEvents)
    {
        if (State.Reservations.Count == 0)
        {
            return;
        }
        DateTimeOffset due;
        if (nextExpiryTick is null)
        {
            due = State.Reservations.Values.Min(r => r.ExpiresAt); // first change since activation: the stored reminder may be any
        }
        else if (committedEvents.OfType<StockReserved>().Select(r => (DateTimeOffset?)r.ExpiresAt).Min() is { } newest
            && newest + ExpiryReminderPeriod < nextExpiryTick)
        {
            due = newest;
        }
        else
        {
            return;
        }
        var dueTime = due - Now;
        expiryReminder = await this.RegisterOrUpdateReminder(ExpiryReminder, dueTime > TimeSpan.Zero ? dueTime : TimeSpan.Zero, ExpiryReminderPeriod);
        nextExpiryTick = due;
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
