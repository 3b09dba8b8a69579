using FirstViscount.Hosting;
using System.Collections.Concurrent;
using System.Reflection;
using FirstViscount.Catalog;
using FirstViscount.State;
using Microsoft.Extensions.DependencyInjection;

namespace FirstViscount.Activations;

/// <summary>
/// Creates grain instances: constructor parameters come from the silo's services, and parameters marked
/// <see cref="PersistentStateAttribute"/> get a state bound to the named storage. The plan per class is
/// worked out once; reflection happens per activation, never per call.
/// </summary>
internal sealed class GrainInstanceFactory(SiloRuntime runtime)
{
    public const string DefaultStorageName = "Default";

    private readonly ConcurrentDictionary<Type, (ConstructorInfo Constructor, ParameterInfo[] Parameters)> plans = new();

    public (Grain Grain, IReadOnlyList<IPersistentStateLoader> States) Create(GrainClassInfo grainClass, Activation activation)
    {
        var (constructor, parameters) = plans.GetOrAdd(grainClass.ClassType, static type => Plan(type));
        var arguments = new object?[parameters.Length];
        var states = new List<IPersistentStateLoader>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var stateAttribute = parameters[i].GetCustomAttribute<PersistentStateAttribute>();
            if (stateAttribute is null)
            {
                arguments[i] = runtime.Services.GetRequiredService(parameters[i].ParameterType);
                continue;
            }
            var state = CreateState(parameters[i].ParameterType, stateAttribute, grainClass, activation);
            states.Add(state);
            arguments[i] = state;
        }
        try
        {
            return ((Grain)constructor.Invoke(arguments), states);
        }
        catch (TargetInvocationException error) when (error.InnerException is not null)
        {
            throw error.InnerException;
        }
    }

    private IPersistentStateLoader CreateState(Type parameterType, PersistentStateAttribute attribute, GrainClassInfo grainClass, Activation activation)
    {
        if (!parameterType.IsGenericType || parameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
        {
            throw new FirstViscountException($"{grainClass.ClassType.Name}: a [PersistentState] parameter must be an IPersistentState<T>.");
        }
        var storageName = attribute.StorageName ?? DefaultStorageName;
        var storage = runtime.Services.GetKeyedService<IGrainStorage>(storageName)
            ?? throw new FirstViscountException(
                $"{grainClass.ClassType.Name} needs the grain storage '{storageName}', which is not configured. Add it to the silo (for example AddMemoryGrainStorage(\"{storageName}\")).");
        var key = new GrainStateKey(runtime.Options.ServiceId, grainClass.GrainType, activation.GrainId.Key, attribute.StateName);
        var stateType = typeof(PersistentState<>).MakeGenericType(parameterType.GetGenericArguments()[0]);
        return (IPersistentStateLoader)Activator.CreateInstance(stateType, key, storage, runtime.Json, runtime.Fence)!;
    }

    private static (ConstructorInfo, ParameterInfo[]) Plan(Type type)
    {
        var constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new FirstViscountException($"Grain class {type.FullName} must have exactly one public constructor; it has {constructors.Length}.");
        }
        return (constructors[0], constructors[0].GetParameters());
    }
}
