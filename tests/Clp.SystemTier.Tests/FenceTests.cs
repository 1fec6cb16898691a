using Clp.Core.Model;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>DESIGN rule 3 on real processes: a server cut from every network fences itself, releasing its
/// floating IP, disk and application by lease age T, and its group fails over exactly once. The release is
/// seen from outside (the namespaces), and the age each fence completed at, as the agent recorded it, is
/// asserted against T.</summary>
public class FenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task ServerCutFromEveryNetwork_ReleasesByLeaseAgeT_AndTheGroupFailsOverOnce()
    {
        await using var cluster = await SystemCluster.CreateAsync();
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        var before = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;

        var s1 = cluster.Network.Server("s1");
        var cut = TimeProvider.System.GetTimestamp();
        for (var link = 0; link < s1.Links.Count; link++)
        {
            await s1.SetLinkAsync(link, up: false);
        }

        // Seen from outside: the address, the mount and the application leave s1. Its last renewal was sent
        // before the cut, so the time since the cut is a lower bound of the lease age at release.
        var firstPid = cluster.AppPid("s1");
        await SystemCluster.WaitForAsync(async () =>
                !(await cluster.FloatingIpHoldersAsync()).Contains("s1") && !cluster.MountHolders().Contains("s1") && cluster.AppPid("s1") is null,
            "s1 to release the floating IP, the disk and the application", TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        var released = TimeProvider.System.GetElapsedTime(cut);
        Assert.NotNull(firstPid);
        Assert.True(released <= TimeSpan.FromMilliseconds(cluster.TimeoutMs),
            $"s1 released {released.TotalMilliseconds:F0} ms after it was cut off, past T = {cluster.TimeoutMs} ms");

        await GroupLifecycleTests.Served(cluster, "s2");

        // Healed, s1 finds its lease revoked, joins again and reports the fence it recorded.
        for (var link = 0; link < s1.Links.Count; link++)
        {
            await s1.SetLinkAsync(link, up: true);
        }

        FenceReport? fence = null;
        await SystemCluster.WaitForAsync(async () =>
            {
                var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
                fence = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status?.LastFence;
                return lease.Spec.Incarnation != before && lease.Status?.Revoked != true && fence is not null;
            },
            "s1 to rejoin and report its fence", Bound);
        Assert.Equal(before, fence!.Incarnation);
        Assert.Equal(cluster.TimeoutMs, fence.HeartbeatTimeoutMs);
        Assert.NotNull(fence.LeaseAgeMs);
        Assert.True(fence.LeaseAgeMs <= fence.HeartbeatTimeoutMs,
            $"the fence completed at lease age {fence.LeaseAgeMs} ms, past T = {fence.HeartbeatTimeoutMs} ms ({fence.Reason})");
        Assert.True(fence.LeaseAgeMs >= (long)released.TotalMilliseconds - 100,
            $"the recorded age {fence.LeaseAgeMs} ms is below the {released.TotalMilliseconds:F0} ms seen from outside");
        output.WriteLine($"fence completed at lease age {fence.LeaseAgeMs} ms (T = {fence.HeartbeatTimeoutMs} ms, budget {fence.BudgetMs} ms); released {released.TotalMilliseconds:F0} ms after the cut");

        // The fence's event reaches the alert log once the API answers again.
        await SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Events.ListEventsAsync(SystemCluster.Name)).Items.Any(e => e.Spec.EventId == 220 && e.Spec.Server == "s1"
                    && e.Spec.Message.Contains("released at lease age", StringComparison.Ordinal)),
            "the fence event of s1", Bound);

        // Exactly one failover: s1, then s2, and the group stays there after s1 came back.
        await cluster.WaitServedByAsync("s2", Bound);
        Assert.Contains(cluster.RecordedFences(), f => f.Server == "s1" && f.AgeMs <= f.TimeoutMs);
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1", "s2"], checker.FloatingIpHolderSequence());
    }
}
