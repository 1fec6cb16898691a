using System.Net;
using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Tests;

/// <summary>DESIGN rule 5 end to end: a server whose renewals stop is judged down exactly after T + M of
/// silence on the controller's clock, in one transaction with its lease revocation and its groups'
/// failover; its late renewal gets 409.</summary>
[Trait("Category", "Component")]
public sealed class DownJudgementTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(3300); // T 3 s + M 300 ms

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(6); // 2 T

    private readonly ControllerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task SilentServer_IsDownOneTickAfterTPlusM_AndItsGroupFailsOverInTheRevokingTransaction()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 3, groups: ["g1"]);
        var s1 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s1");
        var s2 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s2");
        var s3 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s3");
        await s1.AcquireAsync(1);
        await s2.AcquireAsync(1);
        await s3.AcquireAsync(1);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 started on s1 (first in priority order)");
        Assert.Equal(PlacementReasonsStartup, placed.Reason());
        Assert.Equal(s1.StoreUid, (string?)placed["status"]!["storeUid"]);
        Assert.True((long)placed["status"]!["issuedAfter"]! > s1.EpochFloor, "the placement is issued after s1 joined");

        // Everybody renews for the settle time 2 T; then s1 renews once more and falls silent while s2 and
        // s3 keep renewing every interval.
        await _factory.WaitForControllerAsync(() => _factory.Controller.DownTimerAt(cluster) is not null, "the leases judged");
        await _factory.AdvanceAsync(Settle, s1, s2, s3);
        await s1.RenewAsync();
        var lastS1 = _factory.Now;
        Assert.Equal(lastS1 + Limit + TimeSpan.FromTicks(1), _factory.Controller.DownTimerAt(cluster));
        var before = await _factory.Store.GetResourceVersionAsync();
        await _factory.AdvanceAsync(Limit, s2, s3);
        Assert.Equal(lastS1 + Limit, _factory.Now);
        Assert.Equal(lastS1 + Limit + TimeSpan.FromTicks(1), _factory.Controller.DownTimerAt(cluster));
        var atLimit = await GroupAsync(cluster, "g1");
        Assert.Equal("s1", atLimit.Current());
        Assert.False(await RevokedAsync(cluster, "s1"), "at exactly T + M the server is not down yet");

        _factory.Clock.Advance(TimeSpan.FromTicks(1));
        var failed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 failed over to s2 (next in policy order)");
        Assert.Equal("ServerDown", failed.Reason());
        Assert.Equal(placed.Epoch() + 1, failed.Epoch());
        Assert.True(await RevokedAsync(cluster, "s1"));
        Assert.Null(failed["status"]!["failoverCounts"]); // a server's death is not charged to the failover threshold

        // One transaction: between the revocation and the placement nothing else was written but the
        // controller's own events.
        var history = await _factory.Store.HistoryAsync(cluster, before);
        var revokedAt = history.First(e => e.Object.Key.Kind == "Lease" && JsonNode.Parse(e.Object.Json)!["status"]?["revoked"]?.GetValue<bool>() == true).ResourceVersion;
        var placedAt = history.First(e => e.Object.Key.Kind == "Group" && JsonNode.Parse(e.Object.Json)!.Current() == "s2").ResourceVersion;
        var between = history.Where(e => e.ResourceVersion > Math.Min(revokedAt, placedAt) && e.ResourceVersion < Math.Max(revokedAt, placedAt)).ToList();
        Assert.All(between, e => Assert.True(e.Object.Key.Kind is "Group" or "Lease" or "Event", $"{e.Object.Key} was written between the revocation and the failover"));
        Assert.Contains(history, e => e.Object.Key.Kind == "Event" && JsonNode.Parse(e.Object.Json)!["spec"]!["eventId"]!.GetValue<int>() == ControllerEvents.ServerDown);

        await s1.TryRenewAsync(1).Problem(HttpStatusCode.Conflict, "lease-revoked", "a renewal after the down decision");
        await s2.RenewAsync();
    }

    [Fact]
    public async Task SilentServer_IsHeld_UntilTheOthersHaveRenewedForTheSettleTime_ThenFailsOver()
    {
        var (cluster, s1, s2, s3) = await ThreeJoinedAsync();
        var joined = _factory.Now;

        // s1 falls silent at once: past T + M, s2 and s3 have renewed for less than 2 T since they joined. A
        // deferring s1 might still count them as lease-less peers: it is held, not judged down.
        await _factory.AdvanceAsync(Limit + TimeSpan.FromMilliseconds(500), s2, s3);
        await WaitEventAsync(cluster, ControllerEvents.ServerUnreachable);
        Assert.False(await RevokedAsync(cluster, "s1"));
        Assert.Equal("s1", (await GroupAsync(cluster, "g1")).Current());

        // Once they settled (2 T after they joined), the re-check judges s1 down and g1 fails over.
        await _factory.AdvanceAsync(joined + Settle - _factory.Now + TimeSpan.FromMilliseconds(500), s2, s3);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 failed over to s2 once s2 and s3 settled");
        Assert.True(await RevokedAsync(cluster, "s1"));
    }

    [Fact]
    public async Task TwoOfThreeSilent_TheLastOneLacksTheQuorum_AndNothingFailsOver()
    {
        var (cluster, s1, s2, s3) = await ThreeJoinedAsync();
        await _factory.AdvanceAsync(Settle, s1, s2, s3);

        // s1 (master) and s2 fall silent together: they may be one side deferring its fence (2 of 4 votes
        // with the master) while s3 with the API has 2 of 4 without it. Nobody is judged down.
        await _factory.AdvanceAsync(Limit * 3, s3);
        await WaitEventAsync(cluster, ControllerEvents.ServerUnreachable);
        Assert.False(await RevokedAsync(cluster, "s1"));
        Assert.False(await RevokedAsync(cluster, "s2"));
        Assert.Equal("s1", (await GroupAsync(cluster, "g1")).Current());

        // s2 comes back and settles: s2 and s3 with the API hold 3 of 4 votes; s1 is judged down.
        await _factory.AdvanceAsync(Settle + TimeSpan.FromSeconds(5), s2, s3);
        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() is "s2" or "s3", "g1 failed over once s2 settled");
        Assert.True(await RevokedAsync(cluster, "s1"));
    }

    [Fact]
    public async Task HigherIncarnation_TakesOverAtOnce_WithoutFailover_AndOldIncarnationGets409()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var s1 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s1");
        var s2 = await FakeAgent.CreateAsync(_factory, admin, cluster, "s2");
        await s1.AcquireAsync(5);
        await s2.AcquireAsync(1);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");

        await s1.TryAcquireAsync(5).Problem(HttpStatusCode.Conflict, "stale-incarnation", "an equal incarnation");
        await s1.TryAcquireAsync(4).Problem(HttpStatusCode.Conflict, "stale-incarnation", "a lower incarnation");
        await s1.AcquireAsync(6);
        await s1.TryRenewAsync(5).Problem(HttpStatusCode.Conflict, "lease-revoked", "the replaced incarnation's renewal");
        await s1.RenewAsync();

        // Issued again on s1 for the new incarnation (it activates only under an epoch issued after it joined).
        var rejoined = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Reason() == "Rejoined", "g1 re-issued on s1");
        Assert.Equal("s1", rejoined.Current());
        Assert.Equal(placed.Epoch() + 1, rejoined.Epoch());
        Assert.True((long)rejoined["status"]!["issuedAfter"]! > s1.EpochFloor);
        Assert.False(await RevokedAsync(cluster, "s1"));
    }

    private const string PlacementReasonsStartup = "Startup";

    /// <summary>A cluster of three servers with g1, all three joined with incarnation 1, g1 started on s1.</summary>
    private async Task<(string Cluster, FakeAgent S1, FakeAgent S2, FakeAgent S3)> ThreeJoinedAsync()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 3, groups: ["g1"]);
        var agents = new List<FakeAgent>();
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            var agent = await FakeAgent.CreateAsync(_factory, admin, cluster, server);
            await agent.AcquireAsync(1);
            agents.Add(agent);
        }

        await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");
        return (cluster, agents[0], agents[1], agents[2]);
    }

    /// <summary>Waits (bounded) until the controller wrote an event with <paramref name="id"/>.</summary>
    private async Task WaitEventAsync(string cluster, int id)
    {
        List<JsonNode> events = [];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!deadline.IsCancellationRequested)
        {
            events = [.. (await _factory.Store.HistoryAsync(cluster, 0)).Where(e => e.Object.Key.Kind == "Event").Select(e => JsonNode.Parse(e.Object.Json)!["spec"]!)];
            if (events.Any(e => e["eventId"]!.GetValue<int>() == id))
            {
                return;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        Assert.Fail($"no event {id} within 30 s among: " + string.Join(" | ", events.Select(e => $"{e["eventId"]} {e["message"]}")));
    }

    private async Task<JsonNode> GroupAsync(string cluster, string name) =>
        JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey(Kinds.Group.Kind, cluster.ToLowerInvariant(), name)))!.Json)!;

    private async Task<bool> RevokedAsync(string cluster, string server) =>
        JsonNode.Parse((await _factory.Store.GetAsync(new ObjectKey(Kinds.Lease.Kind, cluster.ToLowerInvariant(), server)))!.Json)!["status"]?["revoked"]?.GetValue<bool>() == true;
}
