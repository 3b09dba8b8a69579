using FirstViscount.Commerce.Checkout;
using FirstViscount.Commerce.Registration;
using Microsoft.Extensions.Options;

namespace FirstViscount.Commerce.Hosting;

/// <summary>
/// Refuses, when the silo starts, saga resume intervals that Orleans would refuse at the first checkout: a reminder
/// may not tick more often than ReminderOptions.MinimumReminderPeriod (one minute unless lowered).
/// </summary>
internal sealed class SagaTimingsValidator(CheckoutOptions checkout, RegistrationOptions registration, IOptions<ReminderOptions> reminders) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var minimum = reminders.Value.MinimumReminderPeriod;
        foreach (var (setting, interval) in new[] { ("Checkout:ResumeInterval", checkout.ResumeInterval), ("Registration:ResumeInterval", registration.ResumeInterval) })
        {
            if (interval < minimum)
            {
                throw new OrleansConfigurationException(
                    $"Setting {setting} is {interval}, but Orleans reminders tick at most every {minimum} (ReminderOptions.MinimumReminderPeriod): raise it to at least {minimum}.");
            }
        }
    }
}
