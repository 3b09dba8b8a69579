namespace FirstViscount.EventSourcing;

/// <summary>
/// Names an event type as stored (stable across renames of the class) and its schema version. When a schema
/// changes, raise the version and register an <see cref="IEventUpcaster"/> from the old one: stored events
/// are upcast on read, never rewritten.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventTypeAttribute(string name, int schemaVersion = 1) : Attribute
{
    public string Name { get; } = name;

    public int SchemaVersion { get; } = schemaVersion;
}
