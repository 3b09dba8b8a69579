using System.Collections.Concurrent;
using System.Reflection;
using FirstViscount.Invocation;

namespace FirstViscount.Catalog;

/// <summary>
/// Maps grain interfaces to their implementing class and grain type names to classes, from the grain
/// classes registered by generated code. One class per interface; ambiguity is reported at the call site.
/// </summary>
internal sealed class GrainTypeCatalog
{
    private readonly ConcurrentDictionary<Type, GrainClassInfo> byInterface = new();
    private readonly ConcurrentDictionary<string, GrainClassInfo> byGrainType = new();
    private readonly ConcurrentDictionary<Type, string> ambiguous = new();
    private readonly HashSet<Type> indexed = [];
    private int indexedCount = -1;

    public GrainClassInfo ForInterface(Type grainInterface)
    {
        if (byInterface.TryGetValue(grainInterface, out var info))
        {
            return info;
        }
        GrainCodeRegistry.EnsureRegistered(grainInterface);
        Refresh();
        if (byInterface.TryGetValue(grainInterface, out info))
        {
            return info;
        }
        throw new FirstViscountException(ambiguous.TryGetValue(grainInterface, out var classes)
            ? $"More than one grain class implements {grainInterface.FullName} ({classes}); give each its own interface."
            : $"No grain class implements {grainInterface.FullName}. Is the assembly that defines it loaded?");
    }

    public GrainClassInfo? ForGrainType(string grainType)
    {
        if (byGrainType.TryGetValue(grainType, out var info))
        {
            return info;
        }
        Refresh();
        return byGrainType.GetValueOrDefault(grainType);
    }

    /// <summary>Indexes grain classes registered since the last call.</summary>
    public void Refresh()
    {
        var classes = GrainCodeRegistry.GrainClasses;
        if (classes.Count == Volatile.Read(ref indexedCount))
        {
            return;
        }
        lock (indexed)
        {
            foreach (var type in classes)
            {
                if (indexed.Add(type))
                {
                    Index(type);
                }
            }
            Volatile.Write(ref indexedCount, indexed.Count);
        }
    }

    private void Index(Type classType)
    {
        var info = new GrainClassInfo(
            classType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? classType.FullName!,
            classType,
            classType.IsDefined(typeof(ReentrantAttribute), inherit: true),
            classType.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.AgeLimit);
        if (byGrainType.TryGetValue(info.GrainType, out var clash) && clash.ClassType != classType)
        {
            throw new FirstViscountException($"Grain classes {clash.ClassType.FullName} and {classType.FullName} share the grain type name '{info.GrainType}'.");
        }
        byGrainType[info.GrainType] = info;
        foreach (var grainInterface in classType.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i)))
        {
            if (ambiguous.ContainsKey(grainInterface))
            {
                ambiguous[grainInterface] += ", " + classType.FullName;
            }
            else if (!byInterface.TryAdd(grainInterface, info))
            {
                byInterface.TryRemove(grainInterface, out var other);
                ambiguous[grainInterface] = other!.ClassType.FullName + ", " + classType.FullName;
            }
        }
    }
}
