using System.Text.Json.Nodes;
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
        await WaitHeartbeatsAsync(cluster, "s1", "ic1", "s2", HeartbeatState.Normal);
        await WaitHeartbeatsAsync(cluster, "s1", "ic2", "s2", HeartbeatState.Normal);

        var s2 = cluster.Network.Server("s2");
        for (var link = 1; link <= 2; link++)
        {
            var ic = $"ic{link}";
            var other = link == 1 ? "ic2" : "ic1";
            await s2.SetLinkAsync(link, up: false);
            await WaitHeartbeatsAsync(cluster, "s1", ic, "s2", HeartbeatState.Error);
            await WaitEventAsync(cluster, 230, "s1", $"no longer hears s2 on interconnect {ic}");

            // The other interconnect still carries the heartbeats: s2 stays on s1's side.
            var s1 = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status!;
            Assert.Equal(HeartbeatState.Normal, s1.Heartbeats![other].Peers["s2"]);
            Assert.Equal(HeartbeatState.Caution, s1.Heartbeats[ic].State);
            Assert.Contains("s2", s1.Partition!.Hears);

            await s2.SetLinkAsync(link, up: true);
            await WaitHeartbeatsAsync(cluster, "s1", ic, "s2", HeartbeatState.Normal);
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

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4")]
    public async Task ServerCutFromItsPeersOnly_RenewsDirectly_NoFailoverNoFence_AndInterconnectEvents()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await WaitAllHearAllAsync(cluster);
        var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");

        // Both interconnects of s1 down at the switch: no heartbeat reaches or leaves it; the API still does.
        var s1 = cluster.Network.Server("s1");
        await s1.SetLinkAsync(1, up: false);
        await s1.SetLinkAsync(2, up: false);
        foreach (var ic in new[] { "ic1", "ic2" })
        {
            await WaitEventAsync(cluster, 230, "s2", $"no longer hears s1 on interconnect {ic}");
            await WaitEventAsync(cluster, 230, "s1", $"no longer hears s2 on interconnect {ic}");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        var after = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
        Assert.Equal(lease.Spec.Incarnation, after.Spec.Incarnation);
        Assert.NotEqual(true, after.Status?.Revoked);
        Assert.Equal("s1", await cluster.AskAppAsync());
        Assert.Equal("s1", (await cluster.GroupAsync()).Status?.CurrentServer);
        Assert.Empty(cluster.RecordedFences());
        var status = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status!;
        Assert.Equal(HeartbeatState.Error, status.Heartbeats!["ic1"].State);
        Assert.Empty(status.Partition!.Hears);

        await s1.SetLinkAsync(1, up: true);
        await s1.SetLinkAsync(2, up: true);
        await WaitEventAsync(cluster, 231, "s2", "hears s1 on interconnect ic1 again");
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1"], checker.FloatingIpHolderSequence());
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4")]
    public async Task Majority_ApiDownAndTheGroupsServerCutFromItsPeers_ItFences_TheMajorityDefers()
    {
        // Majority counts servers only: s2 + s3 hold 2 of 3 votes without the API (with the default witness quorum
        // they would hold 2 of 4 without the master, s1, and fence too).
        await using var cluster = await SystemCluster.CreateAsync(timeoutMs: 10_000, withDisk: false,
            configure: (spec, _) => spec.NpResolvers = [new NpResolverSpec { Name = "majority", Type = NpResolverType.Majority }]);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await WaitAllHearAllAsync(cluster);

        cluster.KillApi();
        var s1 = cluster.Network.Server("s1");
        await s1.SetLinkAsync(1, up: false);
        await s1.SetLinkAsync(2, up: false);
        var cut = TimeProvider.System.GetTimestamp();

        // s1 alone (1 of 3) cannot defer: it fences and releases the group by lease age T (the checker asserts
        // the recorded age); s2 and s3 defer and keep their leases alive without the API.
        await SystemCluster.WaitForAsync(async () => !(await cluster.FloatingIpHoldersAsync()).Contains("s1") && cluster.AppPid("s1") is null,
            "s1 to release the group", Bound);
        output.WriteLine($"s1 released the group {TimeProvider.System.GetElapsedTime(cut).TotalMilliseconds:F0} ms after the cut (T = {cluster.TimeoutMs} ms)");
        Assert.True(TimeProvider.System.GetElapsedTime(cut) <= TimeSpan.FromMilliseconds(cluster.TimeoutMs), $"s1 released the group past T\n{cluster.Logs()}");
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs));
        Assert.Equal(["s1"], cluster.RecordedFences().Select(f => f.Server).Distinct());
        var deferrals = cluster.LogLines("deferring the fence");
        output.WriteLine(string.Join("\n", deferrals));
        Assert.Contains(deferrals, l => l.StartsWith("s2:", StringComparison.Ordinal) && l.Contains("majority", StringComparison.Ordinal));
        Assert.Contains(deferrals, l => l.StartsWith("s3:", StringComparison.Ordinal));
        Assert.DoesNotContain(deferrals, l => l.StartsWith("s1:", StringComparison.Ordinal));

        // The API returns (s1 still cut from its peers): s1 rejoins through the public network, the controller
        // counts the majority with the witness and fails the group over, once.
        // The API returns (s1 still cut from its peers, not from the API): s1 rejoins with a new incarnation, and
        // the group is placed again (back on s1, re-issued to its new incarnation, or failed over), once.
        await cluster.StartApiAsync();
        var holder = await cluster.WaitForHolderAsync();
        await cluster.WaitServedByAsync(holder, Bound);
        output.WriteLine($"after the API returned the group is served by {holder}");
        await s1.SetLinkAsync(1, up: true);
        await s1.SetLinkAsync(2, up: true);
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs));
        Assert.Equal(holder, await cluster.AskAppAsync());
        Assert.Equal(["s1"], cluster.RecordedFences().Select(f => f.Server).Distinct());
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1", holder], checker.FloatingIpHolderSequence());
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "losetup", "mkfs.ext4", "nft")]
    public async Task Ping_ApiDownAndTheTargetUnreachableFromOneServer_ThatServerFences_TheOthersKeepTheGroup()
    {
        await using var cluster = await SystemCluster.CreateAsync(timeoutMs: 10_000, withDisk: false,
            configure: (spec, network) => spec.NpResolvers =
            [
                new NpResolverSpec { Name = "gw", Type = NpResolverType.Ping, Targets = [network.Client.Address], IntervalSeconds = 1, TimeoutSeconds = 1 },
            ]);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();

        // A server is a placement target only once it reported its Ping check passing: the group starts on the
        // first that did (not necessarily s1).
        var holder = await cluster.WaitForHolderAsync();
        await GroupLifecycleTests.Served(cluster, holder);
        await WaitAllHearAllAsync(cluster);
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await WaitCheckAsync(cluster, server, "gw", passed: true);
        }

        // A server that is neither the master (s1) nor the holder no longer reaches the ping target; everything
        // else works. While the API answers, nothing changes (rule 9: NP resolution only restricts).
        var cut = new[] { "s2", "s3" }.First(s => s != holder);
        var host = cluster.Network.Server(cut);
        await host.BlockAsync(cluster.Network.Client.Address);
        await WaitCheckAsync(cluster, cut, "gw", passed: false);
        Assert.Empty(cluster.RecordedFences());

        // The API goes down for everyone: the other two hold the master (s1) and half of the 4 votes, so they defer;
        // the cut server fails the restriction, so it never defers: it fences.
        cluster.KillApi();
        await SystemCluster.WaitForAsync(() => Task.FromResult(cluster.RecordedFences().Any(f => f.Server == cut)), $"{cut} to fence", Bound);
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs));
        Assert.Equal(holder, await cluster.AskAppAsync());
        Assert.Equal([cut], cluster.RecordedFences().Select(f => f.Server).Distinct());
        var fencing = cluster.LogLines("Fencing:");
        Assert.Contains(fencing, l => l.StartsWith(cut + ":", StringComparison.Ordinal) && l.Contains("gw", StringComparison.Ordinal));
        var deferrals = cluster.LogLines("deferring the fence");
        foreach (var other in new[] { "s1", "s2", "s3" }.Where(s => s != cut))
        {
            Assert.Contains(deferrals, l => l.StartsWith(other + ":", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(deferrals, l => l.StartsWith(cut + ":", StringComparison.Ordinal));

        await cluster.StartApiAsync();
        await cluster.WaitOnlineAsync(cut);
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs));
        Assert.Equal(holder, await cluster.AskAppAsync());
        Assert.Equal(holder, (await cluster.GroupAsync()).Status?.CurrentServer);
        await host.UnblockAsync();
        await checker.AssertNoOverlapAsync();
        Assert.Equal([holder], checker.FloatingIpHolderSequence());
    }

    private static Task WaitCheckAsync(SystemCluster cluster, string server, string resolver, bool passed) =>
        SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status?.Partition?.Checks?.GetValueOrDefault(resolver) == passed,
            $"{server} to report its {resolver} check {(passed ? "passing" : "failing")}", Bound);

    /// <summary>Every agent has listed the cluster and hears every peer on both interconnects.</summary>
    private static async Task WaitAllHearAllAsync(SystemCluster cluster)
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            foreach (var ic in new[] { "ic1", "ic2" })
            {
                await SystemCluster.WaitForAsync(async () =>
                        (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status?.Heartbeats?.GetValueOrDefault(ic)?.State == HeartbeatState.Normal,
                    $"{server} to hear every peer on {ic}", Bound);
            }
        }
    }

    private static Task WaitHeartbeatsAsync(SystemCluster cluster, string server, string interconnect, string peer, HeartbeatState state) =>
        SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status?.Heartbeats?.GetValueOrDefault(interconnect)?.Peers.GetValueOrDefault(peer) == state,
            $"{server} to report {peer} {state} on {interconnect}", Bound);

    private static Task WaitEventAsync(SystemCluster cluster, int id, string server, string text) =>
        SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Events.ListEventsAsync(SystemCluster.Name)).Items.Any(e => e.Spec.EventId == id && e.Spec.Server == server
                    && e.Spec.Message.Contains(text, StringComparison.Ordinal)),
            $"event {id} from {server}: {text}", Bound);
}
