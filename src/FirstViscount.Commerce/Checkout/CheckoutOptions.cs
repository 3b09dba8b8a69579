using FirstViscount.Commerce.Sagas;

namespace FirstViscount.Commerce.Checkout;

/// <summary>The checkout saga's timings; the defaults are the product's (DESIGN.md).</summary>
public sealed class CheckoutOptions
{
    public StepPolicy Reserve { get; set; } = new(TimeSpan.FromSeconds(30), 3);
    public StepPolicy Payment { get; set; } = new(TimeSpan.FromSeconds(60), 2);
    public StepPolicy Commit { get; set; } = new(TimeSpan.FromSeconds(30), 3);
    public StepPolicy Confirmation { get; set; } = new(TimeSpan.FromSeconds(15), 5);

    /// <summary>Booking the shipment with its carrier (the design records give no figure: as long as reserving stock).</summary>
    public StepPolicy Delivery { get; set; } = new(TimeSpan.FromSeconds(30), 3);

    /// <summary>How long reserved stock is held for an order that is not yet paid.</summary>
    public TimeSpan ReservationHold { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often a durable reminder resumes a saga that stopped (its silo died) before finishing. Orleans
    /// reminders tick at most once a minute unless ReminderOptions.MinimumReminderPeriod is lowered (tests).
    /// </summary>
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pause between attempts of a step.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
}
