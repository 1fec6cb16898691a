using System.Net;
using System.Text.Json.Nodes;
using Clp.Core.Model;

namespace Clp.Controller.Tests;

/// <summary>Two-phase placement changes (DESIGN rule 6) and the operations that drive them.</summary>
[Trait("Category", "Component")]
public sealed class PlacementChangeTests : IDisposable
{
    private readonly ControllerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task GroupMove_UnplacesFirst_PlacesOnTargetOnlyAfterOldServerReportsOffline()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");
        var e = placed.Epoch();
        await s1.ReportAsync("g1", "Online", e);
        var before = await _factory.Store.GetResourceVersionAsync();

        var move = await admin.OperationAsync(cluster, "GroupMove", "Group", "g1", new JsonObject { ["server"] = "s2" });
        var unplaced = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Epoch() == e + 1, "phase one of the move");
        Assert.Null(unplaced.Current());
        Assert.Equal("s1", (string?)unplaced["status"]!["drain"]!["from"]);
        Assert.Equal("s2", (string?)unplaced["status"]!["drain"]!["target"]);
        Assert.Equal(move, (string?)unplaced["status"]!["drain"]!["requestId"]);
        var running = await _factory.Store.WaitAsync(cluster, Kinds.Operation, move, o => o.Phase() == "Running", "the move running");
        Assert.Equal("Unknown", (string?)running["status"]!["conditions"]![0]!["status"]);

        // Time passes (renewing), nothing else happens until s1 reports the group Offline for e + 1.
        await _factory.AdvanceAsync(TimeSpan.FromSeconds(2), s1, s2);
        await s1.ReportAsync("g1", "Offline", e);
        await s1.ReportAsync("g1", "Offline", e + 1);
        var landed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "phase two of the move");
        Assert.Equal(e + 2, landed.Epoch());
        Assert.Equal("ManualMove", landed.Reason());
        Assert.Null(landed["status"]!["drain"]);
        var done = await _factory.Store.WaitAsync(cluster, Kinds.Operation, move, o => o.Phase() == "Succeeded", "the move succeeded");
        Assert.Equal("True", (string?)done["status"]!["conditions"]![0]!["status"]);

        // The recorded history: the group is on s1, then nowhere, then on s2, and the placement on s2 comes
        // after s1 reported Offline for e + 1 (never two servers at once).
        var history = await _factory.Store.HistoryAsync(cluster, before);
        var placements = history.Where(c => c.Object.Key.Kind == "Group").Select(c => (c.ResourceVersion, Server: JsonNode.Parse(c.Object.Json)!.Current())).ToList();
        Assert.Equal([null, "s2"], placements.Select(p => p.Server).Distinct());
        var offlineAt = history.First(c => c.Object.Key.Kind == "Server" && c.Object.Key.Name == "s1"
            && (long?)JsonNode.Parse(c.Object.Json)!["status"]!["groups"]?["g1"]?["epoch"] == e + 1).ResourceVersion;
        Assert.True(placements.First(p => p.Server == "s2").ResourceVersion > offlineAt, "placed on s2 before s1 released it");
        var operationPhases = history.Where(c => c.Object.Key.Kind == "Operation").Select(c => JsonNode.Parse(c.Object.Json)!.Phase()).ToList();
        Assert.Equal(["Pending", "Running", "Succeeded"], operationPhases.Distinct());
    }

    [Fact]
    public async Task ClusterStop_UnplacesEveryGroup_SucceedsOnceReleased_AndClusterStartPlacesThemAgain()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1", "g2"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        var g1 = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() is not null, "g1 placed");
        var g2 = await _factory.Store.WaitGroupAsync(cluster, "g2", g => g.Current() is not null, "g2 placed");
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Running", "the cluster running");

        var stop = await admin.OperationAsync(cluster, "ClusterStop", "Cluster", cluster);
        var stopping1 = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Epoch() == g1.Epoch() + 1, "g1 unplaced");
        var stopping2 = await _factory.Store.WaitGroupAsync(cluster, "g2", g => g.Epoch() == g2.Epoch() + 1, "g2 unplaced");
        Assert.Null(stopping1.Current());
        Assert.Equal("ClusterStop", stopping1.Reason());
        Assert.Null(stopping2.Current());
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Stopped", "the cluster stopped");
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, stop, o => o.Phase() == "Running", "the stop waiting for the agents");

        var holder1 = g1.Current() == "s1" ? s1 : s2;
        var holder2 = g2.Current() == "s1" ? s1 : s2;
        await holder1.ReportAsync("g1", "Offline", stopping1.Epoch());
        await holder2.ReportAsync("g2", "Offline", stopping2.Epoch());
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, stop, o => o.Phase() == "Succeeded", "the stop succeeded");

        var start = await admin.OperationAsync(cluster, "ClusterStart", "Cluster", cluster);
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, start, o => o.Phase() == "Succeeded", "the start succeeded");
        var restarted = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() is not null, "g1 placed again");
        Assert.Equal("Startup", restarted.Reason());
        await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c.Phase() == "Running", "the cluster running again");
    }

    [Fact]
    public async Task GroupStopAndStart_AreTwoPhaseAndIdempotentByRequestId_MoveOfStoppedGroupFails()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");

        var stop = await admin.OperationAsync(cluster, "GroupStop", "Group", "g1");
        var stopping = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Epoch() == placed.Epoch() + 1, "g1 stopping");
        Assert.Equal("ManualStop", stopping.Reason());
        await s1.ReportAsync("g1", "Offline", stopping.Epoch());
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, stop, o => o.Phase() == "Succeeded", "the stop succeeded");

        var move = await admin.OperationAsync(cluster, "GroupMove", "Group", "g1");
        var refused = await _factory.Store.WaitAsync(cluster, Kinds.Operation, move, o => o.Phase() == "Failed", "the move of a stopped group refused");
        Assert.Equal("NotPlaced", (string?)refused["status"]!["conditions"]![0]!["reason"]);

        var body = """{"spec":{"verb":"GroupStart","target":{"kind":"Group","name":"g1"},"parameters":{"server":"s2"},"clientRequestId":"start-1"}}""";
        var first = await admin.Post($"{Api.Base}/clusters/{cluster}/operations", body).Ok(HttpStatusCode.Created);
        var again = await admin.Post($"{Api.Base}/clusters/{cluster}/operations", body).Ok(HttpStatusCode.OK);
        Assert.Equal((string?)first["metadata"]!["name"], (string?)again["metadata"]!["name"]);
        var started = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 started on s2");
        Assert.Equal("ManualStart", started.Reason());
    }

    [Fact]
    public async Task ServerStop_MovesItsGroupsAwayInTwoPhases_ServerReturnLetsItReceiveGroupsAgain()
    {
        var admin = _factory.Client();
        var cluster = await admin.ClusterAsync(servers: 2, groups: ["g1"]);
        var (s1, s2) = await FakeAgent.JoinTwoAsync(_factory, admin, cluster);
        var placed = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s1", "g1 on s1");

        var leave = await admin.OperationAsync(cluster, "ServerStop", "Server", "s1");
        var leaving = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Epoch() == placed.Epoch() + 1, "g1 leaving s1");
        Assert.Equal("ServerLeft", leaving.Reason());
        Assert.Equal("s2", (string?)leaving["status"]!["drain"]!["target"]);
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, leave, o => o.Phase() == "Running", "s1 leaving");
        await s1.ReportAsync("g1", "Offline", leaving.Epoch());
        var moved = await _factory.Store.WaitGroupAsync(cluster, "g1", g => g.Current() == "s2", "g1 on s2");
        Assert.Equal(leaving.Epoch() + 1, moved.Epoch());
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, leave, o => o.Phase() == "Succeeded", "s1 left");
        var left = await _factory.Store.WaitAsync(cluster, Kinds.Cluster, cluster, c => c["status"]?["leftServers"] is not null, "s1 listed as left");
        Assert.Equal("s1", (string?)left["status"]!["leftServers"]![0]);

        // A move to the server that left is refused; after its return it is accepted.
        var refused = await admin.OperationAsync(cluster, "GroupMove", "Group", "g1", new JsonObject { ["server"] = "s1" });
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, refused, o => o.Phase() == "Failed", "a move to a server that left refused");
        var back = await admin.OperationAsync(cluster, "ServerReturn", "Server", "s1");
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, back, o => o.Phase() == "Succeeded", "s1 returned");
        var move = await admin.OperationAsync(cluster, "GroupMove", "Group", "g1", new JsonObject { ["server"] = "s1" });
        await _factory.Store.WaitAsync(cluster, Kinds.Operation, move, o => o.Phase() == "Running", "the move back began");
    }
}
