using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FirstViscount.Invocation;

/// <summary>
/// Process-wide table of generated grain code: proxy factories per interface, request factories per
/// (interface, method) and the grain classes. Filled by each grain assembly's generated module initializer.
/// </summary>
public static class GrainCodeRegistry
{
    private static readonly ConcurrentDictionary<Type, Func<GrainId, IGrainCallInvoker, GrainReference>> Proxies = new();
    private static readonly ConcurrentDictionary<string, Type> InterfacesByName = new();
    private static readonly ConcurrentDictionary<(string Interface, string Method), Func<GrainRequest>> Requests = new();
    private static readonly ConcurrentDictionary<Type, bool> GrainClassSet = new();

    /// <summary>Called by generated code.</summary>
    public static void AddInterface(Type grainInterface, Func<GrainId, IGrainCallInvoker, GrainReference> proxyFactory)
    {
        Proxies.TryAdd(grainInterface, proxyFactory);
        InterfacesByName.TryAdd(grainInterface.FullName!, grainInterface);
    }

    /// <summary>Called by generated code.</summary>
    public static void AddRequest(string interfaceName, string methodKey, Func<GrainRequest> factory) =>
        Requests.TryAdd((interfaceName, methodKey), factory);

    /// <summary>Called by generated code.</summary>
    public static void AddGrainClass(Type grainClass) => GrainClassSet.TryAdd(grainClass, true);

    public static IReadOnlyCollection<Type> GrainClasses => (IReadOnlyCollection<Type>)GrainClassSet.Keys;

    /// <summary>Runs the generated registration of the assembly that defines <paramref name="type"/>.</summary>
    public static void EnsureRegistered(Type type) => RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);

    public static void EnsureRegistered(Assembly assembly) => RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

    public static Func<GrainId, IGrainCallInvoker, GrainReference> GetProxyFactory(Type grainInterface)
    {
        if (Proxies.TryGetValue(grainInterface, out var factory))
        {
            return factory;
        }
        EnsureRegistered(grainInterface);
        return Proxies.TryGetValue(grainInterface, out factory)
            ? factory
            : throw new FirstViscountException(
                $"No proxy was generated for {grainInterface.FullName}. Is it a grain interface, and does its project reference FirstViscount.Runtime.Generators as an analyzer?");
    }

    public static Type? FindInterface(string fullName) => InterfacesByName.GetValueOrDefault(fullName);

    public static Func<GrainRequest>? FindRequest(string interfaceName, string methodKey) =>
        Requests.GetValueOrDefault((interfaceName, methodKey));
}
