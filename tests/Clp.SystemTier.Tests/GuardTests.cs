using Clp.Core.Model;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>DESIGN rule 11 on real processes: when the active server's clp-agent alone is frozen (SIGSTOP of its PID)
/// or killed (SIGKILL of its PID) while its resources run, the server's fence guard releases the floating IP, the
/// disk and the application by lease age T, as seen from outside; the group fails over exactly once, with no
/// overlap; a thawed agent finds its lease revoked and rejoins with a new incarnation.</summary>
public class GuardTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task Guard_FrozenAgent_ReleasesByT_TheGroupFailsOverOnce_AndTheThawedAgentRejoins()
    {
        await using var cluster = await SystemCluster.CreateAsync();
        await using var checker = new SplitBrainChecker(cluster);
        var (agent, guard, app, before) = await StartServedByS1Async(cluster);

        var frozen = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, ProcessSignals.Send(agent, ProcessSignals.Stop));
        var released = await WaitReleasedAsync(cluster, app, frozen, "the frozen agent's guard");
        output.WriteLine($"frozen agent: the guard released fip, disk and application {released.TotalMilliseconds:F0} ms after SIGSTOP (T = {cluster.TimeoutMs} ms)");
        Assert.True(released <= TimeSpan.FromMilliseconds(cluster.TimeoutMs),
            $"released {released.TotalMilliseconds:F0} ms after the freeze, past T = {cluster.TimeoutMs} ms\n{cluster.Logs()}");
        Assert.Equal('T', State(agent));
        Assert.True(SystemCluster.IsLive(guard), "the guard did not survive its agent's freeze");

        await GroupLifecycleTests.Served(cluster, "s2");

        // Thawed, the agent finds its lease revoked (or its fence timer long past), fences, and joins again.
        Assert.Equal(0, ProcessSignals.Send(agent, ProcessSignals.Cont));
        var seen = "";
        try
        {
            await SystemCluster.WaitForAsync(async () =>
                {
                    var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
                    var status = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, "s1")).Status;
                    seen = $"lease incarnation {lease.Spec.Incarnation} (before {before}), revoked {lease.Status?.Revoked}; "
                           + $"status phase {status?.Phase}, incarnation {status?.Incarnation}; agent live {SystemCluster.IsLive(agent)}";
                    return lease.Spec.Incarnation != before && lease.Status?.Revoked != true && status?.Phase == ObjectState.Online && status.Incarnation == lease.Spec.Incarnation;
                },
                "the thawed s1 to rejoin with a new incarnation", Bound);
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}; last seen: {seen}\n{cluster.Logs()}");
        }

        Assert.Equal(guard, cluster.GuardPid("s1"));

        await cluster.WaitServedByAsync("s2", Bound);
        Assert.Contains(cluster.GuardReleases(), r => r.Server == "s1" && r.AgeMs <= r.TimeoutMs);
        await checker.AssertNoOverlapAsync();
        Assert.True(checker.FloatingIpHolderSequence().SequenceEqual(["s1", "s2"]),
            $"floating IP holders: [{string.Join(", ", checker.FloatingIpHistory)}]\n{cluster.Logs()}");
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task Guard_KilledAgent_ReleasesByT_AndTheGroupFailsOverOnce()
    {
        await using var cluster = await SystemCluster.CreateAsync();
        await using var checker = new SplitBrainChecker(cluster);
        var (agent, guard, app, before) = await StartServedByS1Async(cluster);

        var killed = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, ProcessSignals.Send(agent, ProcessSignals.Kill));
        var released = await WaitReleasedAsync(cluster, app, killed, "the killed agent's guard");
        output.WriteLine($"killed agent: the guard released fip, disk and application {released.TotalMilliseconds:F0} ms after SIGKILL (T = {cluster.TimeoutMs} ms)");
        Assert.True(released <= TimeSpan.FromMilliseconds(cluster.TimeoutMs),
            $"released {released.TotalMilliseconds:F0} ms after the SIGKILL, past T = {cluster.TimeoutMs} ms\n{cluster.Logs()}");
        Assert.True(SystemCluster.IsLive(guard), "the guard did not survive its agent's SIGKILL");
        Assert.True(cluster.Network.Server("s1").PoweredOn, "the server went down");

        await GroupLifecycleTests.Served(cluster, "s2");

        // The server stayed up: a new agent joins through the same guard, and the group stays on s2.
        cluster.StartAgent("s1");
        await SystemCluster.WaitForAsync(async () =>
            {
                var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1");
                return lease.Spec.Incarnation != before && lease.Status?.Revoked != true;
            },
            "a new agent on s1 to join", Bound);
        Assert.Equal(guard, cluster.GuardPid("s1"));
        await cluster.WaitServedByAsync("s2", Bound);
        await checker.AssertNoOverlapAsync();
        Assert.True(checker.FloatingIpHolderSequence().SequenceEqual(["s1", "s2"]),
            $"floating IP holders: [{string.Join(", ", checker.FloatingIpHistory)}]\n{cluster.Logs()}");
    }

    private static async Task<(int Agent, int Guard, int App, long Incarnation)> StartServedByS1Async(SystemCluster cluster)
    {
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        var incarnation = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, "s1")).Spec.Incarnation;
        int? guard = null;
        await SystemCluster.WaitForAsync(() => Task.FromResult((guard = cluster.GuardPid("s1")) is not null), "s1's fence guard to run", Bound);
        var agent = cluster.Agent("s1")!.Id;

        // Not the agent's child in the process tree sense that matters: its own session, so a signal to the agent's
        // PID or group never reaches it.
        Assert.NotEqual(Session(agent), Session(guard!.Value));
        var app = cluster.AppPid("s1") ?? throw new Xunit.Sdk.XunitException("no application pid file on s1");
        return (agent, guard.Value, app, incarnation);
    }

    /// <summary>Waits until s1 holds neither the floating IP, nor the mount, nor a live application; returns the time
    /// since <paramref name="from"/> (a monotonic timestamp taken just before the signal).</summary>
    private static async Task<TimeSpan> WaitReleasedAsync(SystemCluster cluster, int app, long from, string who)
    {
        try
        {
            await SystemCluster.WaitForAsync(async () =>
                    !(await cluster.FloatingIpHoldersAsync()).Contains("s1") && !cluster.MountHolders().Contains("s1")
                    && cluster.AppPid("s1") is null && !SystemCluster.IsLive(app),
                $"{who} to release the floating IP, the disk and the application on s1", TimeSpan.FromMilliseconds(cluster.TimeoutMs * 2));
        }
        catch (TimeoutException e)
        {
            var ips = await cluster.FloatingIpHoldersAsync();
            throw new Xunit.Sdk.XunitException($"{e.Message} (fip on [{string.Join(",", ips)}], mount on [{string.Join(",", cluster.MountHolders())}], "
                + $"pid file {cluster.AppPid("s1")?.ToString() ?? "none"}, app {app} live {SystemCluster.IsLive(app)})\n{cluster.Logs()}");
        }

        return TimeProvider.System.GetElapsedTime(from);
    }

    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..][0];
    }

    private static string Session(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3];
    }
}
