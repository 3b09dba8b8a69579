using System.Globalization;
using Spectre.Console;

namespace FirstViscount.Cli;

/// <summary>
/// A Spectre.Console progress bar on stderr (stdout keeps only the result line, for scripts). On a terminal it is
/// redrawn in place; when stderr is a file or a pipe, Spectre writes plain progress lines instead, and a last line
/// with the count says the job is complete (a log shows how far a job that died got, and that one that ended finished).
/// </summary>
internal static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/> with a bar of <paramref name="total"/> units, fed through the counter it is given.</summary>
    public static async Task<T> RunAsync<T>(TextWriter writer, string description, long total, Func<ProgressCounter, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        long done = 0;
        var result = await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: Math.Max(total, 1));
                var counter = new ProgressCounter(task);
                var value = await work(counter);
                task.Value = task.MaxValue;
                done = counter.Count;
                return value;
            });
        if (!console.Profile.Capabilities.Interactive)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{description}: {done:N0} of {total:N0} (100%)"));
        }
        return result;
    }
}

/// <summary>Counts what a long job reports and moves its bar (a bar never passes 100 %, the count does when more arrived than expected).</summary>
internal sealed class ProgressCounter(ProgressTask task) : IProgress<long>
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public void Report(long value)
    {
        Interlocked.Add(ref count, value);
        task.Increment(value);
    }
}
