using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Tests;

/// <summary>DESIGN rule 8 on the controller's fake clock: a change of T reaches the down judgement at once
/// when it is longer, and only once every live agent stated it in a renewal when it is shorter; a suspended
/// cluster judges nobody however long a server is silent, and a resume gives every lease a fresh T + M.
/// Cluster T = 3 s, I = 1 s, two servers on one LAN, g1 on s1.</summary>
[Trait("Category", "Component")]
public sealed class SuspendAndTimeoutRatioTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly ControllerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ShorterT_ReachesTheJudgement_OnlyOnceEveryLiveAgentStatedIt()
    {
        var (cluster, s1, s2) = await TwoJoinedAsync();
        await RunAsync(cluster, "TimeoutRatioSet", new JsonObject { ["ratio"] = 2 });
        s1.Stating = s2.Stating = (6000, 2);
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(13), s1, s2); // settled under T = 6 s (2 T = 12 s)

        // The ratio is reset (cluster T = 3 s). s1 acknowledges it and falls silent; s2 still states 6 s.
        await RunAsync(cluster, "TimeoutRatioReset");
        s1.Stating = (3000, 1);
        await s1.RenewAsync();
        var lastS1 = _factory.Now;
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == lastS1 + TimeSpan.FromMilliseconds(6600) + Tick,
            () => $"s1 judged by s2's 6 s until s2 acknowledges 3 s; armed at {_factory.Controller.DownTimerAt(cluster)}, s1 renewed at {lastS1}");

        // Past s1's own T + M (3.3 s) it is not down: s2 may still count peers by 6 s.
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(5), s2);
        Assert.False(await RevokedAsync(cluster, "s1"), "a shorter T was used before every live agent acknowledged it");
        Assert.Equal("s1", (await GroupAsync(cluster)).Current());

        // s2 acknowledges 3 s: now s1's silence of 5 s is past 3.3 s; it is down and g1 fails over.
        s2.Stating = (3000, 1);
        await s2.RenewAsync();
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 failed over to s2 once every live agent stated 3 s");
        Assert.True(await RevokedAsync(cluster, "s1"));
    }

    [Fact]
    public async Task LongerT_ReachesTheJudgementAtOnce_BeforeAnyAgentStatedIt()
    {
        var (cluster, s1, s2) = await TwoJoinedAsync();
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(6), s1, s2);
        await s1.RenewAsync();
        var lastS1 = _factory.Now;
        Assert.Equal(lastS1 + TimeSpan.FromMilliseconds(3300) + Tick, _factory.Controller.DownTimerAt(cluster));

        // A ratio of 2 (T = 6 s): s1, silent, stated 3 s, and s2 keeps stating 3 s; the longer T applies at once.
        await RunAsync(cluster, "TimeoutRatioSet", new JsonObject { ["ratio"] = 2 });
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == lastS1 + TimeSpan.FromMilliseconds(6600) + Tick,
            () => $"s1 judged by the ratio's 6 s at once; armed at {_factory.Controller.DownTimerAt(cluster)}, s1 renewed at {lastS1}");
        await _factory.AdvanceAsync(TimeSpan.FromMilliseconds(6600), s2);
        Assert.Equal(lastS1 + TimeSpan.FromMilliseconds(6600), _factory.Now);
        Assert.False(await RevokedAsync(cluster, "s1"), "at exactly T + M of the longer T the server is not down yet");

        _factory.Clock.Advance(Tick);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 failed over one tick after 6.6 s");
        Assert.True(await RevokedAsync(cluster, "s1"));
    }

    [Fact]
    public async Task AnAgentJoinedUnderARatio_IsJudgedByTheGrantedT_UntilItStatesAShorterOne()
    {
        var (cluster, s1, s2) = await TwoJoinedAsync();
        await RunAsync(cluster, "TimeoutRatioSet", new JsonObject { ["ratio"] = 2 });

        // s1's agent restarts: a first join states no T of its own (the SDK sends the 300 ms floor), and is
        // granted 6 s, which it fences by. Then it falls silent.
        var grant = await s1.AcquireAsync(2, timeoutMs: 300);
        Assert.Equal(6000, (int)grant["heartbeat"]!["timeoutMs"]!);
        Assert.Equal(6000, (int)grant["lease"]!["spec"]!["timeoutMs"]!);
        var joined = _factory.Now;

        // The ratio is reset and s2 acknowledges 3 s; s1 is still judged by the 6 s it was granted.
        await RunAsync(cluster, "TimeoutRatioReset");
        s2.Stating = (3000, 1);
        await s2.RenewAsync();
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == joined + TimeSpan.FromMilliseconds(6600) + Tick,
            () => $"s1 judged by its granted 6 s; armed at {_factory.Controller.DownTimerAt(cluster)}, s1 joined at {joined}");
    }

    [Fact]
    public async Task Suspended_ASilentServerIsNeverJudgedDown_ResumeGivesAFreshTPlusM_ThenItFailsOver()
    {
        var (cluster, s1, s2) = await TwoJoinedAsync();
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(6), s1, s2);
        var placed = await GroupAsync(cluster);
        await RunAsync(cluster, "ClusterSuspend");
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) is null, "no down timer while suspended");

        // s1 falls silent for 20 s (six times T + M) while s2 renews: nobody is judged, nothing moves.
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(20), s2);
        Assert.False(await RevokedAsync(cluster, "s1"), "a server was judged down while the cluster was suspended");
        var during = await GroupAsync(cluster);
        Assert.Equal(("s1", placed.Epoch()), (during.Current(), during.Epoch()));
        Assert.DoesNotContain(await EventIdsAsync(cluster), id => id == ControllerEvents.ServerDown);

        // Resume: every lease gets a fresh T + M from now, however long the silence before.
        await RunAsync(cluster, "ClusterResume");
        var resumedAt = _factory.Now;
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) == resumedAt + TimeSpan.FromMilliseconds(3300) + Tick,
            () => $"a fresh T + M from the resume at {resumedAt}; armed at {_factory.Controller.DownTimerAt(cluster)}");
        await _factory.AdvanceAsync(TimeSpan.FromMilliseconds(3300), s2);
        Assert.False(await RevokedAsync(cluster, "s1"), "judged down before T + M after the resume");

        // Then s1 fails over: once s2 has renewed for the settle time 2 T since the resume (before that s1 may be
        // deferring with s2 as an uncounted peer, section 6 of docs/partition-safety.md), at resume + 6 s.
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(3), s2);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 failed over to s2 after the resume");
        Assert.True(await RevokedAsync(cluster, "s1"));
    }

    /// <summary>Two servers joined with incarnation 1, the cluster Running, g1 on s1.</summary>
    private async Task<(string Cluster, FakeAgent S1, FakeAgent S2)> TwoJoinedAsync()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Running", "the cluster running");
        return (cluster, s1, s2);
    }

    /// <summary>Runs a cluster operation and waits until it succeeded and the controller applied the pass.</summary>
    private async Task RunAsync(string cluster, string verb, JsonObject? parameters = null)
    {
        var admin = _factory.Client();
        var operation = await admin.OperationAsync(cluster, verb, "Cluster", cluster, parameters);
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, operation, o => o.Phase() == "Succeeded", $"{verb} succeeded");
    }

    private async Task<JsonNode> GroupAsync(string cluster) =>
        JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey(Kinds.Group.Kind, cluster.ToLowerInvariant(), "g1")))!.Json)!;

    private async Task<bool> RevokedAsync(string cluster, string server) =>
        JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey(Kinds.Lease.Kind, cluster.ToLowerInvariant(), server)))!.Json)!["status"]?["revoked"]?.GetValue<bool>() == true;

    private async Task<List<int>> EventIdsAsync(string cluster) =>
        [.. (await _factory.Store.HistoryAsync(cluster, 0)).Where(e => e.Object.Key.Kind == "Event")
            .Select(e => JsonNode.Parse(e.Object.Json)!["spec"]!["eventId"]!.GetValue<int>())];
}
