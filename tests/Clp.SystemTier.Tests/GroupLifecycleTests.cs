using System.Text.Json.Nodes;
using Clp.Core.Model;

namespace Clp.SystemTier.Tests;

/// <summary>The guide's checklist on real processes in namespaces: start, move to every server of the
/// policy, cluster stop; a server's death; checked from outside CLP.</summary>
public class GroupLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task GroupStarts_MovesToEveryServer_AndClusterStopReleasesIt()
    {
        await using var cluster = await SystemCluster.CreateAsync();
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await Served(cluster, "s1");

        foreach (var target in new[] { "s2", "s3", "s1" })
        {
            var move = await cluster.RunAsync(OperationVerb.GroupMove, "Group", "failover1", new JsonObject { ["server"] = target });
            Assert.True(move.Status!.Phase == OperationPhase.Succeeded, move.Status.Message + "\n" + cluster.Logs());
            await Served(cluster, target);
        }

        var stop = await cluster.RunAsync(OperationVerb.ClusterStop, "Cluster", SystemCluster.Name);
        Assert.Equal(OperationPhase.Succeeded, stop.Status!.Phase);
        Assert.Empty(await cluster.FloatingIpHoldersAsync());
        Assert.Empty(cluster.MountHolders());
        Assert.Null(await cluster.AskAppAsync());
        await checker.AssertNoOverlapAsync();
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task ServerDeath_FailsTheGroupOverToTheNextServer_NotBeforeTheHeartbeatTimeout()
    {
        await using var cluster = await SystemCluster.CreateAsync();
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await Served(cluster, "s1");

        var killed = TimeProvider.System.GetTimestamp();
        await cluster.KillServerAsync("s1");
        await Served(cluster, "s2");
        var outage = TimeProvider.System.GetElapsedTime(killed);
        Assert.True(outage >= TimeSpan.FromMilliseconds(cluster.TimeoutMs - cluster.IntervalMs),
            $"served by s2 {outage.TotalMilliseconds:0} ms after s1 died, before T - I = {cluster.TimeoutMs - cluster.IntervalMs} ms");

        // s1 comes back: it joins, and the group stays on s2 (failback is manual by default).
        await cluster.PowerOnServerAsync("s1");
        await SystemCluster.WaitForAsync(async () => (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status?.Phase == ObjectState.Online,
            "s1's agent to report Online again", Bound);
        Assert.Equal("s2", await cluster.AskAppAsync());
        await checker.AssertNoOverlapAsync();
    }

    internal static async Task Served(SystemCluster cluster, string server)
    {
        try
        {
            await cluster.WaitServedByAsync(server, Bound);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\n" + cluster.Logs());
        }
    }
}
