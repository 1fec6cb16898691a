namespace Clp.SystemTier.Tests;

/// <summary>Issue 12's first join: three clp-agent processes started together (each also starting its fence guard, a
/// second .NET process) on a 2-core machine, with the T = 3 s and I = 1 s. A fresh incarnation is fenced only on
/// its own lease age: none of them may fence on its first renewals, rejoin or lose its guard. Checked from outside (the
/// group's address and application stay on s1 with one PID, every lease keeps the incarnation it joined with, every guard
/// keeps its PID) and from the agents' logs (no fence began).</summary>
public class JoinTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4")]
    public async Task ThreeAgentsStartedTogether_JoinAndKeepTheirLeases_WithNoFence()
    {
        await using var cluster = await SystemCluster.CreateAsync(intervalMs: 1000, timeoutMs: 3000);
        await using var checker = new SplitBrainChecker(cluster);
        string[] servers = ["s1", "s2", "s3"];
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");

        var joined = new Dictionary<string, long>();
        var guards = new Dictionary<string, int>();
        foreach (var server in servers)
        {
            await cluster.WaitOnlineAsync(server);
            joined[server] = (await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server)).Spec.Incarnation;
            int? guard = null;
            await SystemCluster.WaitForAsync(() => Task.FromResult((guard = cluster.GuardPid(server)) is not null), $"{server}'s fence guard", Bound);
            guards[server] = guard!.Value;
        }

        var app = cluster.AppPid("s1");
        Assert.NotNull(app);

        // Three heartbeat timeouts more: a fence of a fresh incarnation came about 1 s after its join (the report).
        await Task.Delay(TimeSpan.FromMilliseconds(3 * cluster.TimeoutMs));
        var logs = cluster.Logs();
        Assert.True(cluster.LogLines("Fencing:").Count == 0, "an agent began a fence:\n" + string.Join("\n", cluster.LogLines("Fencing:")) + "\n" + logs);
        Assert.Empty(cluster.RecordedFences());
        Assert.True(cluster.LogLines("not delivered").Count == 0, "a fence guard link failed:\n" + string.Join("\n", cluster.LogLines("not delivered")));
        foreach (var server in servers)
        {
            var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server);
            Assert.True(lease.Spec.Incarnation == joined[server] && lease.Status?.Revoked != true,
                $"{server} joined as incarnation {joined[server]}, now {lease.Spec.Incarnation} (revoked: {lease.Status?.Revoked})\n{logs}");
            Assert.Equal(guards[server], cluster.GuardPid(server));
        }

        Assert.Equal(app, cluster.AppPid("s1"));
        Assert.Equal("s1", await cluster.AskAppAsync());
        await checker.AssertNoOverlapAsync();
        Assert.Equal(["s1"], checker.FloatingIpHolderSequence());
    }
}
