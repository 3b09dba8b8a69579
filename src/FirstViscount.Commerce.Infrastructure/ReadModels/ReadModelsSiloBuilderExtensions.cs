using FirstViscount.EventSourcing;
using FirstViscount.Postgres.EventStore;
using FirstViscount.Postgres.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FirstViscount.Commerce.ReadModels;

public static class ReadModelsSiloBuilderExtensions
{
    /// <summary>
    /// The event log's streams (<see cref="EventLogQueues.DefaultProvider"/>) and the read models kept from them, in a
    /// silo whose domain is durable (<see cref="Hosting.CommerceSiloBuilderExtensions.AddFirstViscountCommerce"/> with PostgreSQL).
    /// </summary>
    public static ISiloBuilder AddEventLogReadModels(this ISiloBuilder silo, Action<EventLogStreamOptions>? streams = null)
    {
        silo.AddEventLogStreams(EventLogQueues.DefaultProvider, streams);
        silo.Services.AddSingleton(services => new InventoryLevels(services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<PostgresEventStore>(), services.GetRequiredService<EventSerializer>(), services.GetService<ILogger<InventoryLevels>>()));
        silo.Services.AddSingleton(services => new OrderHistory(services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<PostgresEventStore>(), services.GetRequiredService<EventSerializer>(), services.GetService<ILogger<OrderHistory>>()));
        silo.Services.AddSingleton(services => new ShipmentList(services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<PostgresEventStore>(), services.GetRequiredService<EventSerializer>(), services.GetService<ILogger<ShipmentList>>()));
        return silo;
    }
}
