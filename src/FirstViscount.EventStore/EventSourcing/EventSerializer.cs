using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FirstViscount.EventSourcing;

/// <summary>
/// Maps event classes to stored (type, schema version, JSON) and back, upcasting old schema versions step by
/// step on the way in.
/// </summary>
public sealed class EventSerializer
{
    private readonly Dictionary<string, (Type Type, int Version)> byName = [];
    private readonly Dictionary<Type, (string Name, int Version)> byType = [];
    private readonly Dictionary<(string, int), IEventUpcaster> upcasters = [];

    public EventSerializer(IEnumerable<Type> eventTypes, IEnumerable<IEventUpcaster> upcasters, JsonSerializerOptions? json = null)
    {
        Json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        foreach (var type in eventTypes)
        {
            var attribute = type.GetCustomAttribute<EventTypeAttribute>()
                ?? throw new FirstViscountException($"Event class {type.FullName} needs an [EventType] attribute.");
            if (!byName.TryAdd(attribute.Name, (type, attribute.SchemaVersion)))
            {
                throw new FirstViscountException($"Two event classes are named '{attribute.Name}'.");
            }
            byType[type] = (attribute.Name, attribute.SchemaVersion);
        }
        foreach (var upcaster in upcasters)
        {
            this.upcasters[(upcaster.EventType, upcaster.FromVersion)] = upcaster;
        }
    }

    public JsonSerializerOptions Json { get; }

    /// <summary>Every [EventType] class in <paramref name="assembly"/>.</summary>
    public static IEnumerable<Type> EventTypesIn(Assembly assembly) =>
        assembly.GetTypes().Where(t => t.GetCustomAttribute<EventTypeAttribute>() is not null);

    public EventData Serialize(object @event, EventMetadata metadata)
    {
        var (name, version) = byType.TryGetValue(@event.GetType(), out var known)
            ? known
            : throw new FirstViscountException($"{@event.GetType().FullName} is not a registered event type.");
        return new EventData(Guid.NewGuid(), name, version, JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), Json), metadata);
    }

    public object Deserialize(RecordedEvent recorded)
    {
        if (!byName.TryGetValue(recorded.Type, out var target))
        {
            throw new FirstViscountException($"Stream '{recorded.StreamId}' holds an event of unknown type '{recorded.Type}' (version {recorded.Version}).");
        }
        if (recorded.SchemaVersion == target.Version)
        {
            return JsonSerializer.Deserialize(recorded.Payload, target.Type, Json)!;
        }
        var node = JsonNode.Parse(recorded.Payload)?.AsObject() ?? throw new FirstViscountException($"Event {recorded.EventId} has no JSON object payload.");
        for (var version = recorded.SchemaVersion; version < target.Version; version++)
        {
            node = upcasters.TryGetValue((recorded.Type, version), out var upcaster)
                ? upcaster.Upcast(node)
                : throw new FirstViscountException($"No upcaster turns '{recorded.Type}' version {version} into version {version + 1}.");
        }
        return node.Deserialize(target.Type, Json)!;
    }
}
