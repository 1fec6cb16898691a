using Clp.Core.Model;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>DESIGN rule 3 on real processes: a server cut from every network fences itself, releasing its
/// floating IP, disk and application by lease age T, and its group fails over exactly once. The release is
/// seen from outside (the namespaces), and the age each fence completed at, as the agent recorded it, is
/// asserted against T. Held cut for 20 s and healed, the server rejoins with no second fence, through the same fence
/// guard (issue 12).</summary>
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
        int? guard = null;
        await SystemCluster.WaitForAsync(() => Task.FromResult((guard = cluster.GuardPid("s1")) is not null), "s1's fence guard to run", Bound);

        var s1 = cluster.Network.Server("s1");
        var cutBegan = TimeProvider.System.GetTimestamp();
        for (var link = 0; link < s1.Links.Count; link++)
        {
            await s1.SetLinkAsync(link, up: false);
        }

        var cutDone = TimeProvider.System.GetTimestamp();

        // Seen from outside: the address, the mount and the application leave s1. The release completed after the last
        // check that still saw something on s1 began (docs/partition-safety.md, section 9, "A fence seen from outside"):
        // - no check that began more than T after the cut's end may see s1 holding anything (no renewal sent after the
        //   cut ended can succeed, so the lease age there is at least the time since, and the fence completes by T);
        // - the lease age the agent recorded at completion is at least that time.
        var firstPid = cluster.AppPid("s1");
        long lastSeenHeld = cutDone;
        await SystemCluster.WaitForAsync(async () =>
            {
                var checkBegan = TimeProvider.System.GetTimestamp();
                var gone = !(await cluster.FloatingIpHoldersAsync()).Contains("s1") && !cluster.MountHolders().Contains("s1") && cluster.AppPid("s1") is null;
                if (!gone)
                {
                    lastSeenHeld = checkBegan;
                }

                return gone;
            },
            "s1 to release the floating IP, the disk and the application", TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        var released = TimeProvider.System.GetElapsedTime(cutBegan);
        var heldAfterCut = TimeProvider.System.GetElapsedTime(cutDone, lastSeenHeld);
        Assert.NotNull(firstPid);
        Assert.True(heldAfterCut <= TimeSpan.FromMilliseconds(cluster.TimeoutMs),
            $"s1 was seen holding a resource {heldAfterCut.TotalMilliseconds:F0} ms after it was cut off, past T = {cluster.TimeoutMs} ms");

        await GroupLifecycleTests.Served(cluster, "s2");

        // The issue's report: a server cut off for 20 s, then healed. Its old incarnation's fence is long done, and no
        // timer of it may fence the incarnation that joins after the heal.
        var cutFor = TimeSpan.FromSeconds(20) - TimeProvider.System.GetElapsedTime(cutBegan);
        if (cutFor > TimeSpan.Zero)
        {
            await Task.Delay(cutFor);
        }

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
        Assert.True(fence.LeaseAgeMs >= (long)Math.Floor(heldAfterCut.TotalMilliseconds),
            $"the recorded age {fence.LeaseAgeMs} ms is below the {heldAfterCut.TotalMilliseconds:F0} ms for which s1 was seen from outside still holding a resource after the cut");
        output.WriteLine($"fence completed at lease age {fence.LeaseAgeMs} ms (T = {fence.HeartbeatTimeoutMs} ms, budget {fence.BudgetMs} ms); seen holding {heldAfterCut.TotalMilliseconds:F0} ms after the cut, seen released {released.TotalMilliseconds:F0} ms after it began");

        // The fence's event reaches the alert log once the API answers again.
        await SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Events.ListEventsAsync(SystemCluster.Name)).Items.Any(e => e.Spec.EventId == 220 && e.Spec.Server == "s1"
                    && e.Spec.Message.Contains("released at lease age", StringComparison.Ordinal)),
            "the fence event of s1", Bound);

        // The new incarnation keeps its lease through three heartbeat timeouts with no fence, and arms the same guard.
        var rejoined = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;
        await Task.Delay(TimeSpan.FromMilliseconds(3 * cluster.TimeoutMs));
        var now = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
        Assert.True(now.Spec.Incarnation == rejoined && now.Status?.Revoked != true,
            $"s1 rejoined as incarnation {rejoined}, now {now.Spec.Incarnation} (revoked: {now.Status?.Revoked})\n{cluster.Logs()}");
        var fencings = cluster.LogLines("Fencing:").Where(l => l.StartsWith("s1:", StringComparison.Ordinal)).ToList();
        Assert.True(fencings.Count == 1, $"s1 began {fencings.Count} fences, expected the cut's one:\n{string.Join("\n", fencings)}\n{cluster.Logs()}");
        Assert.Equal(guard, cluster.GuardPid("s1"));
        Assert.Empty(cluster.LogLines("not delivered"));

        // Exactly one failover: s1, then s2, and the group stays there after s1 came back.
        await cluster.WaitServedByAsync("s2", Bound);
        Assert.Single(cluster.RecordedFences(), f => f.Server == "s1" && f.AgeMs <= f.TimeoutMs);
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1", "s2"], checker.FloatingIpHolderSequence());
    }
}
