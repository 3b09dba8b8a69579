using System.Collections.Concurrent;

namespace FirstViscount.Runtime.Tests.Grains;

/// <summary>
/// Gates a test opens to let a grain method continue. Grains and tests share a process, so a test can hold a
/// call in progress deterministically (no sleeps).
/// </summary>
public static class TestGates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Signals = new();

    public static Task WaitAsync(string name) => Get(Gates, name).Task;

    public static void Open(string name) => Get(Gates, name).TrySetResult();

    /// <summary>Raised by grain code, awaited by the test ("the call is now inside the grain").</summary>
    public static void Signal(string name) => Get(Signals, name).TrySetResult();

    public static Task SignalledAsync(string name) => Get(Signals, name).Task.WaitAsync(TimeSpan.FromSeconds(10));

    private static TaskCompletionSource Get(ConcurrentDictionary<string, TaskCompletionSource> map, string name) =>
        map.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
