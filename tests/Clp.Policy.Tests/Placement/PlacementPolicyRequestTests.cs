using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Manual start, stop and move, and agents' recovery failover requests.</summary>
public class PlacementPolicyRequestTests
{
    [Fact]
    public void MoveToNamedServer_UnplacesFirst_WaitsForOffline_ThenPlaces()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "g", "server2");

        Assert.Equal(new Unplace("g", 2, ManualMove, new Drain("server1", "server2", id), id), world.Step().For("g"));
        Assert.Empty(world.Requests);
        Assert.Equal(new Stay("g", WaitingForOffline), world.Step().For("g"));

        world.ReportOffline("g");
        Assert.Equal(new Place("g", "server2", 3, ManualMove, id, From: "server1"), world.Step().For("g"));
    }

    [Fact]
    public void MoveWithoutTarget_GoesToFirstEligibleServerOtherThanCurrent()
    {
        var world = World.WithServers("server1", "server2", "server3").Group("g", Specs.OnServers(["server3", "server1", "server2"]), on: "server3", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "g");

        Assert.Equal(new Drain("server3", "server1", id), Assert.IsType<Unplace>(world.Decide().For("g")).Drain);
    }

    public static TheoryData<string, string, string> RefusedMoves() => new()
    {
        { "a down server", "server2", TargetNotEligible },
        { "an unknown server", "server9", TargetNotEligible },
        { "a server outside the policy", "server3", TargetNotEligible },
    };

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public void MoveToNamedServer_NotEligible_IsRefusedAndGroupStays(string row, string target, string reason)
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("g", Specs.OnServers(["server1", "server2"]), on: "server1", epoch: 1)
            .Server("server2", ServerLiveness.Down);
        var id = world.Request(PlacementRequestKind.Move, "g", target);

        var decision = world.Decide().For("g");

        Assert.True(new CannotPlace("g", reason, id) == decision, $"{row}: {decision}");
    }

    [Fact]
    public void MoveToCurrentServer_IsAlreadyDone()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "g", "SERVER1");

        Assert.Equal(new Stay("g", AlreadyPlaced, id), world.Decide().For("g"));
    }

    [Fact]
    public void Move_NoOtherServer_IsRefused()
    {
        var world = World.WithServers("server1").Group("g", Specs.All(), on: "server1", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "g");

        Assert.Equal(new CannotPlace("g", NoEligibleServer, id), world.Decide().For("g"));
    }

    [Fact]
    public void Move_OfStoppedGroup_IsRefused()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), epoch: 3, reason: ManualStop);
        var id = world.Request(PlacementRequestKind.Move, "g", "server2");

        Assert.Equal(new CannotPlace("g", NotPlaced, id), world.Decide().For("g"));
    }

    [Fact]
    public void Move_OldServerDiesWhileReleasing_PlacesWithoutOfflineReport()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "g", "server2");
        world.Step();
        world.Server("server1", ServerLiveness.Down);

        Assert.Equal(new Place("g", "server2", 3, ManualMove, id, From: "server1"), world.Step().For("g"));
    }

    [Fact]
    public void Move_TargetDiesWhileReleasing_FirstOtherServer_OldServerLast()
    {
        var three = World.WithServers("server1", "server2", "server3").Group("g", Specs.All(), on: "server1", epoch: 1);
        three.Request(PlacementRequestKind.Move, "g", "server2");
        three.Step();
        three.Server("server2", ServerLiveness.Down).ReportOffline("g");
        Assert.Equal("server3", Assert.IsType<Place>(three.Step().For("g")).Server);

        var two = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        two.Request(PlacementRequestKind.Move, "g", "server2");
        two.Step();
        two.Server("server2", ServerLiveness.Down).ReportOffline("g");
        Assert.Equal("server1", Assert.IsType<Place>(two.Step().For("g")).Server);
    }

    [Fact]
    public void Stop_WhileMoveReleases_CancelsTheTarget_AndGroupStaysStopped()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        world.Request(PlacementRequestKind.Move, "g", "server2");
        world.Step();
        var stop = world.Request(PlacementRequestKind.Stop, "g");

        Assert.Equal(new Unplace("g", 3, ManualStop, new Drain("server1", null, stop), stop), world.Step().For("g"));
        world.ReportOffline("g");
        Assert.Equal(new Stay("g", ManualStop), world.Step().For("g"));
    }

    [Fact]
    public void Stop_PlacedGroup_UnplacesWithDrain_StoppedGroup_IsAlreadyDone()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var first = world.Request(PlacementRequestKind.Stop, "g");
        Assert.Equal(new Unplace("g", 2, ManualStop, new Drain("server1", null, first), first), world.Step().For("g"));

        var second = world.Request(PlacementRequestKind.Stop, "g");
        Assert.Equal(new Stay("g", AlreadyStopped, second), world.Step().For("g"));
    }

    [Fact]
    public void Stop_GroupOnDownServer_UnplacesWithoutDrain()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1)
            .Server("server1", ServerLiveness.Down);
        var id = world.Request(PlacementRequestKind.Stop, "g");

        Assert.Equal(new Unplace("g", 2, ManualStop, null, id), world.Decide().For("g"));
    }

    [Fact]
    public void Start_NamedOrFirstEligible_AndWaitsWhileOldServerReleases()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        world.Request(PlacementRequestKind.Stop, "g");
        world.Step();
        var start = world.Request(PlacementRequestKind.Start, "g", "server2");

        Assert.Equal(new Stay("g", WaitingForOffline), world.Step().For("g"));
        Assert.Single(world.Requests);

        world.ReportOffline("g");
        Assert.Equal(new Place("g", "server2", 3, ManualStart, start), world.Step().For("g"));

        var again = world.Request(PlacementRequestKind.Start, "g");
        Assert.Equal(new Stay("g", AlreadyPlaced, again), world.Step().For("g"));
    }

    [Fact]
    public void Start_WithoutTarget_FirstEligible()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), epoch: 5, reason: ManualStop)
            .Server("server1", joined: false);
        var id = world.Request(PlacementRequestKind.Start, "g");

        Assert.Equal(new Place("g", "server2", 6, ManualStart, id), world.Decide().For("g"));
    }

    [Fact]
    public void RecoveryFailover_FromCurrentServer_TwoPhaseAndCharged_StaleOneIsAnswered()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var id = world.Request(PlacementRequestKind.Failover, "g", "server1");
        Assert.Equal(new Unplace("g", 2, Failover, new Drain("server1", "server2", id), id, new("g", "server1")), world.Step().For("g"));

        world.ReportOffline("g");
        Assert.Equal(new Place("g", "server2", 3, Failover, id, From: "server1"), world.Step().For("g"));

        var stale = world.Request(PlacementRequestKind.Failover, "g", "server1");
        Assert.Equal(new Stay("g", StaleRequest, stale), world.Step().For("g"));
    }

    [Fact]
    public void Requests_OnePerGroupAtATime_InListOrder()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1);
        var move = world.Request(PlacementRequestKind.Move, "g", "server2");
        var stop = world.Request(PlacementRequestKind.Stop, "g");

        Assert.Equal(move, world.Step().For("g").RequestId);
        Assert.Equal([stop], world.Requests.Select(r => r.Id));
    }

    [Fact]
    public void Request_ForUnknownGroup_IsIgnored()
    {
        var world = World.WithServers("server1").Group("g", Specs.All(), on: "server1", epoch: 1);
        world.Request(PlacementRequestKind.Stop, "nope");

        var result = world.Decide();

        Assert.Equal([new Stay("g", Unchanged)], result.Decisions);
    }
}
