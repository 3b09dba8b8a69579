namespace FirstViscount.Tests;

/// <summary>Waiting for what is eventually consistent (read models, sinks, membership): poll until it holds, or fail naming it.</summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds for the value read (every 50 ms, for up to <paramref name="seconds"/>); returns that value.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}: {value}");
            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 30) => ReadAsync(condition, holds => holds, what, seconds);
}
