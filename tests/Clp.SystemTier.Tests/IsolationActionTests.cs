using Clp.Core.Model;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>The cluster's isolation action on real processes (docs/partition-safety.md, section 4): a server cut
/// from every network fences by lease age T, THEN takes the action; its group fails over exactly once. The action
/// is seen from outside: the test-host power seam's record, the agent process gone.</summary>
public class IsolationActionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping")]
    public Task ServerCutFromEveryNetwork_IsolationActionReboot_FencesThenReboots_AndTheGroupFailsOverOnce() => WithLogsAsync(async cluster =>
    {
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        // Set once the cluster runs: a lease that lapses while three agents and their guards start on a loaded machine
        // is an isolation fence too, and would take that server down before the scenario begins.
        await SetIsolationActionAsync(cluster, IsolationAction.Reboot);
        var before = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;

        var cut = await CutAsync(cluster, "s1");
        var line = await PowerLineAsync(cluster, "s1", "reboot isolated:");
        var rebooted = TimeProvider.System.GetElapsedTime(cut);
        output.WriteLine($"{line} ({rebooted.TotalMilliseconds:F0} ms after the cut)");
        Assert.Contains($"incarnation {before} fenced at lease age", line, StringComparison.Ordinal);
        Assert.Contains("isolation action Reboot", line, StringComparison.Ordinal);

        // The fence came first and completed by T (the agent's own record, logged before the seam ended it).
        Assert.Contains(cluster.LogLines("Fence completed at lease age"), l => l.StartsWith("s1:", StringComparison.Ordinal)
            && l.Contains("isolated: isolation action Reboot follows", StringComparison.Ordinal));
        Assert.Contains(cluster.RecordedFences(), f => f.Server == "s1" && f.AgeMs <= f.TimeoutMs && !f.Late);

        // The group fails over once; the rebooted server joins with a new incarnation and receives nothing back.
        await GroupLifecycleTests.Served(cluster, "s2");
        await SystemCluster.WaitForAsync(async () =>
            {
                var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
                return lease.Spec.Incarnation != before && lease.Status?.Revoked != true;
            },
            "s1 to rejoin after its reboot", Bound);
        await cluster.WaitServedByAsync("s2", TimeSpan.FromSeconds(10));
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1", "s2"], checker.FloatingIpHolderSequence());
    });

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping")]
    public Task ServerCutFromEveryNetwork_IsolationActionStopClusterService_FencesThenTheAgentExits4_AndStaysDown() => WithLogsAsync(async cluster =>
    {
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        // Set once the cluster runs: a lease that lapses while three agents and their guards start on a loaded machine
        // is an isolation fence too, and would take that server down before the scenario begins.
        await SetIsolationActionAsync(cluster, IsolationAction.StopClusterService);
        var before = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;
        var agent = cluster.Agent("s1")!;
        var appPid = cluster.AppPid("s1");
        Assert.NotNull(appPid);

        // The server stays up (only its links are down): its release is seen from outside, by T after the cut.
        var cut = await CutAsync(cluster, "s1");
        await SystemCluster.WaitForAsync(async () => !(await cluster.FloatingIpHoldersAsync()).Contains("s1") && !SystemCluster.IsLive(appPid.Value),
            "s1 to release the floating IP and the application", TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        var released = TimeProvider.System.GetElapsedTime(cut);
        Assert.True(released <= TimeSpan.FromMilliseconds(cluster.TimeoutMs),
            $"s1 released {released.TotalMilliseconds:F0} ms after it was cut off, past T = {cluster.TimeoutMs} ms");

        // Then the action: the seam records it and the agent leaves with exit code 4.
        var line = await PowerLineAsync(cluster, "s1", "stop-cluster-service isolated:");
        Assert.Contains($"incarnation {before} fenced at lease age", line, StringComparison.Ordinal);
        Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(30)), "the agent of s1 to exit after StopClusterService\n" + cluster.Logs());
        Assert.Equal(4, agent.ExitCode);
        output.WriteLine($"{line}; released {released.TotalMilliseconds:F0} ms after the cut; agent exit code {agent.ExitCode}");
        Assert.Contains(cluster.RecordedFences(), f => f.Server == "s1" && f.AgeMs <= f.TimeoutMs && !f.Late);

        await GroupLifecycleTests.Served(cluster, "s2");

        // Healed, nothing on s1 joins again: the old incarnation's lease stays revoked, no agent, no guard.
        for (var link = 0; link < cluster.Network.Server("s1").Links.Count; link++)
        {
            await cluster.Network.Server("s1").SetLinkAsync(link, up: true);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(cluster.TimeoutMs));
        var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
        Assert.Equal(before, lease.Spec.Incarnation);
        Assert.True(lease.Status?.Revoked == true, "s1's old lease to be revoked (judged down once)");
        Assert.Null(cluster.GuardPid("s1"));
        await cluster.WaitServedByAsync("s2", TimeSpan.FromSeconds(10));
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1", "s2"], checker.FloatingIpHolderSequence());
    });

    /// <summary>Runs the scenario on a new cluster (no disk: the floating IP and the application are enough to see an
    /// overlap, and the run stays short); a failure prints every log first (the run's folder is deleted).</summary>
    private async Task WithLogsAsync(Func<SystemCluster, Task> scenario)
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        try
        {
            await scenario(cluster);
        }
        catch
        {
            foreach (var text in new[] { "Joined", "Fenc", "isolat", "Isolat", "TEST-HOST", "Stopp" })
            {
                output.WriteLine(string.Join("\n", cluster.LogLines(text)));
            }

            output.WriteLine(cluster.Logs());
            throw;
        }
    }

    private static async Task SetIsolationActionAsync(SystemCluster cluster, IsolationAction action)
    {
        var spec = (await cluster.Admin.Clusters.GetClusterAsync(SystemCluster.Name)).Spec;
        await cluster.Admin.Clusters.PatchClusterAsync(SystemCluster.Name, new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["isolationAction"] = action.ToString() },
        });
        Assert.Equal(IsolationAction.StopGroups, spec.IsolationAction);
        Assert.Equal(action, (await cluster.Admin.Clusters.GetClusterAsync(SystemCluster.Name)).Spec.IsolationAction);

        // The agents learn it from the lease answers (the controller states it from its next reconcile, every renewal
        // carries it): a few intervals are plenty, and nothing outside the agent shows when it has.
        await Task.Delay(TimeSpan.FromMilliseconds(cluster.IntervalMs * 4));
    }

    /// <summary>Sets every link of the server down (it reaches neither the API nor a peer) and returns when.</summary>
    private static async Task<long> CutAsync(SystemCluster cluster, string server)
    {
        var host = cluster.Network.Server(server);
        var cut = TimeProvider.System.GetTimestamp();
        for (var link = 0; link < host.Links.Count; link++)
        {
            await host.SetLinkAsync(link, up: false);
        }

        return cut;
    }

    /// <summary>Waits for the test-host power seam's line starting with <paramref name="prefix"/>.</summary>
    private static async Task<string> PowerLineAsync(SystemCluster cluster, string server, string prefix)
    {
        string? line = null;
        await SystemCluster.WaitForAsync(() =>
            {
                var file = cluster.PowerFile(server);
                line = File.Exists(file) ? File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;
                return Task.FromResult(line is not null);
            },
            $"the test-host power seam of {server} to record '{prefix}'", TimeSpan.FromMilliseconds(cluster.TimeoutMs * 3));
        return line!;
    }
}
