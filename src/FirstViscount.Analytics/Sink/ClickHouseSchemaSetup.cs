using FirstViscount.Analytics.ClickHouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirstViscount.Analytics.Sink;

/// <summary>
/// Creates the ClickHouse schema when the silo starts, so that the analytics routes answer before the first event is
/// delivered; while ClickHouse is down it tries again, backing off to 30 s (the routes answer 503 meanwhile).
/// </summary>
internal sealed class ClickHouseSchemaSetup(ClickHouseClient clickHouse, ILogger<ClickHouseSchemaSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var wait = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await ClickHouseSchema.EnsureAsync(clickHouse, stoppingToken);
                return;
            }
            catch (ClickHouseException error)
            {
                logger.LogWarning("The ClickHouse schema waits {Wait} for ClickHouse: {Error}", wait, error.Message);
            }
            await Task.Delay(wait, stoppingToken);
        }
    }
}
