using System.Diagnostics;
using Clp.Core.Model;

namespace Clp.SystemTier.Tests;

/// <summary>The guide's failure checklist on real processes: an application killed is restarted, then
/// failed over after its budget; a floating-IP conflict fails the activation and the group over; a final
/// action shuts the server down through the test-host power; automatic failback. Ground truth from outside.</summary>
public class RecoveryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task ApplicationKilled_IsRestartedOnItsServer_ThenFailedOverAfterItsBudget()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await CreateAppMonitorAsync(cluster, restarts: 1, failovers: 1, FinalAction.None);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        var first = cluster.AppPid("s1")!.Value;
        Process.GetProcessById(first).Kill();
        await SystemCluster.WaitForAsync(async () => cluster.AppPid("s1") is { } pid && pid != first && await cluster.AskAppAsync() == "s1",
            "the application to be restarted on s1 (a new PID serving)", Bound);

        // It keeps crashing: every new instance on s1 is killed at once, so the restart budget (1) is spent
        // and the monitor's next step fails the group over (a normal probe in between would reset it).
        using var crashing = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!crashing.IsCancellationRequested)
            {
                if (cluster.AppPid("s1") is { } pid)
                {
                    try
                    {
                        Process.GetProcessById(pid).Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        // Gone meanwhile.
                    }
                }

                await Task.Delay(50);
            }
        });
        await GroupLifecycleTests.Served(cluster, "s2");
        await crashing.CancelAsync();
        await killer;
        await checker.AssertNoOverlapAsync();
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task FloatingIpConflict_FailsTheActivation_AndTheGroupFailsOver()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        // Another host (the client) already answers for the floating IP, to s1 alone: its ARP replies to any other MAC
        // are dropped (nftables' arp family in its namespace). So s1's activation meets the conflict however fast the
        // failover is, and the next server's does not (with a conflict every server saw, the outcome would depend on
        // whether the test removed it before the next server's probe).
        var client = cluster.Network.Client.Namespace;
        var s1 = cluster.Network.Server("s1");
        var s1Mac = (await Sh.Ip("-n", s1.Namespace, "-br", "link", "show", "dev", s1.Links[0].Device)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        await Sh.Ip("-n", client, "addr", "add", cluster.FloatingIp + "/24", "dev", "eth0");
        await Nft(client, "add", "table", "arp", "clp_conflict");
        await Nft(client, "add", "chain", "arp", "clp_conflict", "out", "{", "type", "filter", "hook", "output", "priority", "0", ";", "}");
        await Nft(client, "add", "rule", "arp", "clp_conflict", "out", "arp", "operation", "reply", "arp", "daddr", "ether", "!=", s1Mac, "drop");
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();

        // s1 (first by priority) meets the conflict and asks for a failover; it lands on the next server, which
        // activates (s1's status shows the error only until the group left it, a fraction of a second: the failover
        // event and s1's log are the record). Then the conflicting host goes away and the client reaches the group.
        var holder = await cluster.WaitForHolderAsync(except: "s1");
        await SystemCluster.WaitForAsync(async () =>
                (await cluster.Admin.Events.ListEventsAsync(SystemCluster.Name)).Items.Any(e => e.Spec.EventId == 103),
            "the failover event", Bound);
        Assert.Contains(cluster.LogLines("already answers on the network"), l => l.StartsWith("s1:", StringComparison.Ordinal));
        await Sh.Ip("-n", client, "addr", "del", cluster.FloatingIp + "/24", "dev", "eth0");
        await Nft(client, "delete", "table", "arp", "clp_conflict");
        await GroupLifecycleTests.Served(cluster, holder);
        Assert.DoesNotContain("s1", checker.FloatingIpHolderSequence());
        await checker.AssertNoOverlapAsync();
    }

    private static async Task Nft(string ns, params string[] arguments)
    {
        var (code, text) = await Sh.RunAsync("ip", ["netns", "exec", ns, "nft", .. arguments]);
        Assert.True(code == 0, $"nft {string.Join(' ', arguments)} in {ns}: {text}");
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task FinalActionShutdown_PowersTheServerOff_AndTheGroupFailsOver()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await CreateAppMonitorAsync(cluster, restarts: 0, failovers: 0, FinalAction.StopClusterServiceAndShutdown);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        await KillTheAppUntilThePowerSeamSaysAsync(cluster, "Shutdown");
        await GroupLifecycleTests.Served(cluster, "s2");
        Assert.False(cluster.Network.Server("s1").PoweredOn);
        await checker.AssertNoOverlapAsync();
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task FinalActionReboot_RebootsTheServer_TheGroupFailsOver_AndTheServerRejoins()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        await CreateAppMonitorAsync(cluster, restarts: 0, failovers: 0, FinalAction.StopClusterServiceAndReboot);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        var before = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;

        await KillTheAppUntilThePowerSeamSaysAsync(cluster, "Reboot");
        await GroupLifecycleTests.Served(cluster, "s2");

        // The rebooted server's new agent joins with a new incarnation; the group stays on s2 (manual failback).
        await SystemCluster.WaitForAsync(async () =>
            {
                var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
                return lease.Spec.Incarnation != before && lease.Status?.Revoked != true;
            },
            "s1 to rejoin after its reboot", Bound);
        Assert.Equal("s2", await cluster.AskAppAsync());
        await checker.AssertNoOverlapAsync();
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task AutomaticFailback_ReturnsTheGroupToItsFirstServer()
    {
        await using var cluster = await SystemCluster.CreateAsync(withDisk: false);
        var group = await cluster.GroupAsync();
        group.Spec.Failback = FailbackAttribute.Auto;
        await cluster.Admin.Groups.ReplaceGroupAsync(SystemCluster.Name, "failover1", group);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        await cluster.KillServerAsync("s1");
        await GroupLifecycleTests.Served(cluster, "s2");
        await cluster.PowerOnServerAsync("s1");
        await GroupLifecycleTests.Served(cluster, "s1");
        await checker.AssertNoOverlapAsync();
    }

    /// <summary>Kills the application on s1 once and waits until s1's agent asked the test-host power for
    /// <paramref name="action"/> (the monitor's final action).</summary>
    private static async Task KillTheAppUntilThePowerSeamSaysAsync(SystemCluster cluster, string action)
    {
        Process.GetProcessById(cluster.AppPid("s1")!.Value).Kill();
        var file = cluster.PowerFile("s1");
        await SystemCluster.WaitForAsync(() => Task.FromResult(File.Exists(file) && File.ReadAllText(file).Contains(action, StringComparison.OrdinalIgnoreCase)),
            $"s1's agent to ask the test-host power for {action}", Bound);
    }

    private static Task CreateAppMonitorAsync(SystemCluster cluster, int restarts, int failovers, FinalAction final) =>
        cluster.Admin.Monitors.CreateMonitorAsync(SystemCluster.Name, new Monitor
        {
            Metadata = new ObjectMeta { Name = "appliw1" },
            Spec = new MonitorSpec
            {
                Type = "appliw",
                Target = "appli1",
                IntervalSeconds = 1,
                TimeoutSeconds = 2,
                RetryCount = 0,
                Recovery = new MonitorRecovery
                {
                    TargetKind = RecoveryTargetKind.Resource, Target = "appli1", RestartCount = restarts, FailoverCount = failovers, FinalAction = final,
                },
            },
        });
}
