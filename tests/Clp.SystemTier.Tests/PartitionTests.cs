using Clp.Core.Model;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>docs/partition-safety.md on real processes and real links: LAN heartbeats over both
/// interconnects, a server cut from the API only (its peers relay its renewals), and the API down for
/// everyone (every agent defers its fence). Ground truth from outside: who holds the floating IP, and
/// the fences the agents logged.</summary>
public class PartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4")]
    public async Task PullingEachInterconnectAlone_KeepsTheClusterWhole_AndRaisesEvents()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await WaitHeartbeatsAsync(cluster, "s1", "ic1", "s2", "Normal");
        await WaitHeartbeatsAsync(cluster, "s1", "ic2", "s2", "Normal");

        var s2 = cluster.Network.Server("s2");
        for (var link = 1; link <= 2; link++)
        {
            var ic = $"ic{link}";
            var other = link == 1 ? "ic2" : "ic1";
            await s2.SetLinkAsync(link, up: false);
            await WaitHeartbeatsAsync(cluster, "s1", ic, "s2", "Error");
            await WaitEventAsync(cluster, 230, "s1", $"no longer hears s2 on interconnect {ic}");

            // The other interconnect still carries the heartbeats: s2 stays on s1's side.
            var s1 = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status!;
            Assert.Equal("Normal", s1.Heartbeats![other].Peers["s2"]);
            Assert.Equal("Caution", s1.Heartbeats[ic].State);
            Assert.Contains("s2", s1.Partition!.Hears);

            await s2.SetLinkAsync(link, up: true);
            await WaitHeartbeatsAsync(cluster, "s1", ic, "s2", "Normal");
            await WaitEventAsync(cluster, 231, "s1", $"hears s2 on interconnect {ic} again");
        }

        Assert.Equal("s1", await cluster.AskAppAsync());
        Assert.Empty(cluster.RecordedFences());
        var forged = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status!.Heartbeats!.Values.Sum(h => h.Forged);
        Assert.Equal(0, forged);
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1"], checker.FloatingIpHolderSequence());
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4", "nft")]
    public async Task ServerCutFromTheApiOnly_ItsPeersRelayItsRenewals_NoFailoverNoFence()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await WaitAllHearAllAsync(cluster);
        var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");

        // s1 can no longer reach the API (its packets to the API's address are dropped); all else works.
        var s1 = cluster.Network.Server("s1");
        await s1.BlockAsync(cluster.Network.ApiAddress);
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs * 3));

        var after = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
        Assert.Equal(lease.Spec.Incarnation, after.Spec.Incarnation);
        Assert.NotEqual(true, after.Status?.Revoked);
        Assert.Equal("s1", await cluster.AskAppAsync());
        Assert.Empty(cluster.RecordedFences());
        Assert.Equal("s1", (await cluster.GroupAsync()).Status?.CurrentServer);

        await s1.UnblockAsync();
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1"], checker.FloatingIpHolderSequence());
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4")]
    public async Task ApiDownForEveryone_NobodyFencesOrFailsOver_AndNothingMovesWhenItReturns()
    {
        // T − F must leave the peers time to become countable (about 5 I): T = 10 s, I = 500 ms.
        await using var cluster = await SystemCluster.CreateAsync(timeoutMs: 10_000, withDisk: false);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await WaitAllHearAllAsync(cluster);
        var incarnations = new Dictionary<string, long>();
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            incarnations[server] = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server)).Spec.Incarnation;
        }

        cluster.KillApi();
        var down = TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2);
        await Task.Delay(down);
        Assert.Equal("s1", await cluster.AskAppAsync());
        Assert.Empty(cluster.RecordedFences());

        await cluster.StartApiAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        foreach (var (server, incarnation) in incarnations)
        {
            var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server);
            Assert.Equal(incarnation, lease.Spec.Incarnation);
            Assert.NotEqual(true, lease.Status?.Revoked);
        }

        Assert.Equal("s1", await cluster.AskAppAsync());
        Assert.Empty(cluster.RecordedFences());
        var deferrals = cluster.LogLines("deferring the fence");
        output.WriteLine($"API down for {down.TotalSeconds} s; deferrals logged: {deferrals.Count}");
        Assert.True(deferrals.Count >= 3, $"every agent deferred its fence: {string.Join(" / ", deferrals)}");
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1"], checker.FloatingIpHolderSequence());
    }

    /// <summary>Every agent has listed the cluster and hears every peer on both interconnects.</summary>
    private static async Task WaitAllHearAllAsync(SystemCluster cluster)
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            foreach (var ic in new[] { "ic1", "ic2" })
            {
                await SystemCluster.WaitForAsync(async () =>
                        (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status?.Heartbeats?.GetValueOrDefault(ic)?.State == "Normal",
                    $"{server} to hear every peer on {ic}", Bound);
            }
        }
    }

    private static Task WaitHeartbeatsAsync(SystemCluster cluster, string server, string interconnect, string peer, string state) =>
        SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status?.Heartbeats?.GetValueOrDefault(interconnect)?.Peers.GetValueOrDefault(peer) == state,
            $"{server} to report {peer} {state} on {interconnect}", Bound);

    private static Task WaitEventAsync(SystemCluster cluster, int id, string server, string text) =>
        SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Events.ListEventsAsync(SystemCluster.Name)).Items.Any(e => e.Spec.EventId == id && e.Spec.Server == server
                    && e.Spec.Message.Contains(text, StringComparison.Ordinal)),
            $"event {id} from {server}: {text}", Bound);
}
