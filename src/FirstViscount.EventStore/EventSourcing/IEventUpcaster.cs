using System.Text.Json.Nodes;

namespace FirstViscount.EventSourcing;

/// <summary>Turns the stored JSON of <see cref="EventType"/> at <see cref="FromVersion"/> into version FromVersion + 1.</summary>
public interface IEventUpcaster
{
    string EventType { get; }

    int FromVersion { get; }

    JsonObject Upcast(JsonObject payload);
}
