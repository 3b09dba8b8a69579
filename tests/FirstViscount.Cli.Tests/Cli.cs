namespace FirstViscount.Cli.Tests;

/// <summary>Runs `firstviscount` in-process as a shell would, capturing what it prints.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await CommandLine.RunAsync(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
