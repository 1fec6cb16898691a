using System.Net;
using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Tests;

/// <summary>Startup sync wait, restarts of clp-api, the controller's own stalls, suspend and timeout
/// ratios: every case where the controller must judge late rather than early (DESIGN rules 5 and 8).</summary>
[Trait("Category", "Component")]
public sealed class ClusterLifecycleTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(3300);

    private readonly ControllerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task NewCluster_WaitsForTheStartupSync_ThenStartsWithWhoJoined_AtTheLimit()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"], syncWaitSeconds: 10);
        var start = _factory.Now;
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Starting", "the new cluster starting");
        var s1 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s1");
        await s1.AcquireAsync(1);
        await _factory.WaitForControllerAsync(() => _factory.Controller.RecheckTimerAt(cluster) == start + TimeSpan.FromSeconds(10),
            () => $"the recheck at the end of the sync wait; armed at {_factory.Controller.RecheckTimerAt(cluster)}");

        await _factory.AdvanceAsync(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1), s1);
        var waiting = JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey("Group", cluster.ToLowerInvariant(), "g1")))!.Json)!;
        Assert.Null(waiting.Current());
        Assert.Equal("Starting", JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey("Cluster", "", cluster)))!.Json)!.Phase());

        _factory.Clock.Advance(TimeSpan.FromTicks(1));
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 started on the one server that joined");
        Assert.Equal("Startup", placed.Reason());
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Running", "the cluster running");
    }

    [Fact]
    public async Task RestartedApi_GivesEveryLeaseAFreshTPlusM_NoFailover()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var keys = new[] { await admin.AgentKeyAsync(cluster, "s1"), await admin.AgentKeyAsync(cluster, "s2") };
        var s1 = new FakeAgent(_factory.Client(keys[0]), cluster, "s1");
        var s2 = new FakeAgent(_factory.Client(keys[1]), cluster, "s2");
        await s1.AcquireAsync(1);
        await s2.AcquireAsync(1);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(2), s1, s2);

        // Stop clp-api gracefully (the leader lease is released) and start a new one on the same store,
        // with a new controller clock: nothing it saw before the restart counts.
        _factory.StopKeepingData();
        using var restarted = new ControllerFactory(_factory.DataDirectory);
        var r1 = new FakeAgent(restarted.Client(keys[0]), cluster, "s1");
        var r2 = new FakeAgent(restarted.Client(keys[1]), cluster, "s2");
        r1.Resume(1);
        r2.Resume(1);
        var started = restarted.Now;
        await restarted.WaitForControllerAsync(() => restarted.Controller.DownTimerAt(cluster) is not null, "the new controller judging");
        Assert.Equal(started + Limit + TimeSpan.FromTicks(1), restarted.Controller.DownTimerAt(cluster));

        // A whole T + M without any renewal received by the new process: nobody is down at the limit.
        await restarted.AdvanceAsync(Limit);
        await r1.RenewAsync();
        await r2.RenewAsync();
        await restarted.AdvanceAsync(TimeSpan.FromSeconds(5), r1, r2);
        var after = JsonNode.Parse((await restarted.Store.GetAsync(new ObjectKey("Group", cluster.ToLowerInvariant(), "g1")))!.Json)!;
        Assert.Equal("s1", after.Current());
        Assert.Equal(placed.Epoch(), after.Epoch());

        // The judgement works after the restart: s2 falls silent and is down one tick after T + M.
        var lastS2 = restarted.Now;
        await restarted.AdvanceAsync(Limit, r1);
        Assert.Equal(lastS2 + Limit + TimeSpan.FromTicks(1), restarted.Controller.DownTimerAt(cluster));
        restarted.Clock.Advance(TimeSpan.FromTicks(1));
        await restarted.Store.WaitAsync(cluster, Kinds.Lease, "s2", l => (bool?)l["status"]?["revoked"] == true, "s2's lease revoked");
        await r2.TryRenewAsync(1).Problem(HttpStatusCode.Conflict, "lease-revoked", "s2 after it was judged down");
    }

    [Fact]
    public async Task ControllerStall_LongerThanTheThreshold_RestartsTheCount()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");

        // The controller's clock jumps 10 s at once: to it, its own process was not running, so the
        // silence it saw proves nothing; both leases get a fresh T + M from the stall.
        _factory.Clock.Advance(TimeSpan.FromSeconds(10));
        var stalledAt = _factory.Now;
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == stalledAt + Limit + TimeSpan.FromTicks(1),
            () => $"the count restarted at the stall ({stalledAt}); armed at {_factory.Controller.DownTimerAt(cluster)}");
        Assert.False((bool?)JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey("Lease", cluster.ToLowerInvariant(), "s1")))!.Json)!["status"]!["revoked"] == true);
        await s1.RenewAsync();
        await s2.RenewAsync();
    }

    [Fact]
    public async Task SuspendedCluster_JudgesNobody_ResumeGivesAFreshTPlusM()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Running", "the cluster running");
        var suspend = await admin.OperationAsync(cluster, "ClusterSuspend", "Cluster", cluster);
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, suspend, o => o.Phase() == "Succeeded", "suspended");
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) is null, "no down timer while suspended");

        await _factory.AdvanceAsync(TimeSpan.FromSeconds(10));
        var resume = await admin.OperationAsync(cluster, "ClusterResume", "Cluster", cluster);
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, resume, o => o.Phase() == "Succeeded", "resumed");
        var resumedAt = _factory.Now;
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == resumedAt + Limit + TimeSpan.FromTicks(1), "a fresh T + M from the resume");
        var group = JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey("Group", cluster.ToLowerInvariant(), "g1")))!.Json)!;
        Assert.Equal("s1", group.Current());
    }

    [Fact]
    public async Task TimeoutRatio_LengthensTheJudgementAtOnce_AndEndsOnTheControllersClock()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 1, groups: ["g1"]);
        var s1 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s1");
        await s1.AcquireAsync(1);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");
        var set = await admin.OperationAsync(cluster, "TimeoutRatioSet", "Cluster", cluster, new JsonObject { ["ratio"] = 2, ["durationSeconds"] = 20 });
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, set, o => o.Phase() == "Succeeded", "the ratio set");

        // Lease answers carry the pass's timing once the controller applied it, a moment after its commit made the
        // operation's Succeeded visible (the test renewed in between once, under load, and got T = 3 s).
        await _factory.WaitForControllerAsync(() => _factory.Controller.AnsweredHeartbeat(cluster)?.TimeoutMs == 6000, "lease answers with the ratio");
        var renewal = await s1.RenewAsync();
        Assert.Equal(6000, (int)renewal["heartbeat"]!["timeoutMs"]!);
        Assert.Equal(2, (int)renewal["timeoutRatio"]!);
        var renewedAt = _factory.Now;

        // T = 6 s (ratio 2), M = 600 ms: the judgement waits for 6.6 s even though s1 stated 3 s.
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == renewedAt + TimeSpan.FromMilliseconds(6600) + TimeSpan.FromTicks(1), "the longer T in force");
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(20), s1);
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c["status"]?["timeoutRatio"] is null, "the ratio ended after 20 s");
        await _factory.WaitForControllerAsync(() => _factory.Controller.AnsweredHeartbeat(cluster)?.TimeoutMs == 3000, "lease answers without the ratio");
        var after = await s1.RenewAsync(timeoutMs: 3000);
        Assert.Equal(3000, (int)after["heartbeat"]!["timeoutMs"]!);
    }
}
