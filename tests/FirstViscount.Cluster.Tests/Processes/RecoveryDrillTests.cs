using Xunit.Abstractions;

namespace FirstViscount.Cluster.Tests.Processes;

/// <summary>
/// The disaster-recovery drill (deploy/drill.sh runs it at a million events and prints RPO and RTO): what a restore
/// from the backup repository brings back, audited against what the API acknowledged to clients.
/// </summary>
[Trait("Category", "Ops")]
[Trait("Speed", "Slow")]
public sealed class RecoveryDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_lost_data_folder_is_restored_from_base_backup_and_archived_wal_and_a_point_in_time_restore_keeps_exactly_what_came_before_the_target()
    {
        var result = await RecoveryDrill.RunAsync(historyEvents: 100_000, output.WriteLine);
        output.WriteLine(result.ToString());

        Assert.True(result.CheckedBeforeTarget > 0 && result.CheckedAfterTarget > 0, $"the load did not span the target: {result}");
        Assert.Equal(0, result.MissingBeforeTarget);
        Assert.Equal(0, result.PresentAfterTarget);
        // Restored to the end of the archive, only what was not yet archived may be gone: the last archive_timeout
        // before the loss, plus the time to push a segment.
        if (result.OldestLostAcknowledgedBeforeLoss is { } oldestLost)
        {
            Assert.True(oldestLost <= RecoveryDrill.ArchiveTimeout + TimeSpan.FromSeconds(10), $"acknowledged work older than the archive timeout was lost: {result}");
        }
        Assert.True(result.EventsInStore > 100_000, result.ToString());
    }
}
