using System.Diagnostics;
using FirstViscount.Tests;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>Runs the repository's deploy scripts (and other programs) as an operator would, failing with their output.</summary>
internal static class DeployScripts
{
    /// <summary>The path of deploy/<paramref name="name"/> in this repository.</summary>
    public static string Path(string name) => System.IO.Path.Combine(TestServers.RepositoryRoot(), "deploy", name);

    public static async Task RunAsync(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
