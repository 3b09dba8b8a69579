using FirstViscount.Commerce.Accounts;
using FirstViscount.Commerce.Catalog;
using FirstViscount.EventSourcing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FirstViscount.Commerce.Notifications;

public static class NotificationsSiloBuilderExtensions
{
    /// <summary>
    /// The notification service in a silo with the event log's streams (<see cref="ReadModels.ReadModelsSiloBuilderExtensions.AddEventLogReadModels"/>):
    /// the notifier consumer, the sender in every silo, and the outbox simulator as channel unless another is registered.
    /// </summary>
    public static ISiloBuilder AddNotifications(this ISiloBuilder silo, Action<NotificationOptions>? configure = null)
    {
        var options = new NotificationOptions();
        configure?.Invoke(options);
        var services = silo.Services;
        services.AddSingleton(options);
        services.AddSingleton(sources => new NotificationStore(sources.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<INotificationChannel>(sources => new OutboxChannelSimulator(sources.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sources => new NotificationSender(sources.GetRequiredService<NotificationStore>(), sources.GetRequiredService<INotificationChannel>(),
            options, sources.GetRequiredService<ILogger<NotificationSender>>()));
        services.AddHostedService(sources => sources.GetRequiredService<NotificationSender>());
        services.AddSingleton(sources => new SupplierDirectory(sources.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sources => new Notifier(sources.GetRequiredService<NotificationStore>(), sources.GetRequiredService<IAccountStore>(),
            sources.GetRequiredService<IPreferencesStore>(), sources.GetRequiredService<SupplierDirectory>(), sources.GetRequiredService<IGrainFactory>(), sources.GetRequiredService<EventSerializer>(), options,
            sources.GetRequiredService<NotificationSender>(), sources.GetRequiredService<ILogger<Notifier>>()));
        return silo;
    }
}
