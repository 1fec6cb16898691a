using Clp.Core.Model;
using Clp.Policy.Placement;
using Clp.Policy.Time;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Cluster start with its sync wait, startup attributes, and stopped and suspended clusters.</summary>
public class PlacementPolicyPhaseTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(300);

    private static World Starting(TimeSpan elapsed)
    {
        var world = World.WithServers("server1", "server2").Server("server2", joined: false).Group("g", Specs.All());
        world.Phase = ClusterPhase.Starting;
        world.StartedAt = Instant.At(TimeSpan.FromSeconds(1000));
        world.SyncWait = Wait;
        world.Now = world.StartedAt + elapsed;
        return world;
    }

    [Fact]
    public void StartupSyncWait_OneTickBeforeTheLimit_Waits_AndNamesWhenToLookAgain()
    {
        var world = Starting(Wait - TimeSpan.FromTicks(1));

        var result = world.Decide();

        Assert.Equal(new Stay("g", StartupSyncWait), result.For("g"));
        Assert.False(result.StartupComplete);
        Assert.Equal(world.StartedAt + Wait, result.RecheckAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void StartupSyncWait_AtOrPastTheLimit_StartsOnJoinedServers(long ticksPast)
    {
        var world = Starting(Wait + TimeSpan.FromTicks(ticksPast));

        var result = world.Decide();

        Assert.Equal(new Place("g", "server1", 1, Startup), result.For("g"));
        Assert.True(result.StartupComplete);
        Assert.Null(result.RecheckAt);
    }

    [Fact]
    public void StartupSyncWait_EveryServerJoinedEarly_StartsAtOnce()
    {
        var world = Starting(TimeSpan.FromSeconds(1)).Server("server2", joined: true);

        Assert.True(world.Decide().StartupComplete);
    }

    [Fact]
    public void StartupSyncWait_DoesNotWaitForServersThatLeft()
    {
        var world = Starting(TimeSpan.FromSeconds(1)).Server("server2", ServerLiveness.Left, joined: false);

        Assert.Equal(new Place("g", "server1", 1, Startup), world.Decide().For("g"));
    }

    [Fact]
    public void Startup_FirstServerNotJoinedAtTheLimit_StartsOnNextJoinedServer()
    {
        var world = Starting(Wait).Server("server1", joined: false).Server("server2", joined: true);

        Assert.Equal(new Place("g", "server2", 1, Startup), world.Decide().For("g"));
    }

    [Fact]
    public void Startup_ManualAttribute_WaitsForAGroupStart()
    {
        var world = Starting(Wait).Group("m", Specs.All(startup: StartupAttribute.Manual));

        Assert.Equal(new Stay("m", ManualStartRequired), world.Step().For("m"));
        Assert.Equal(ClusterPhase.Running, world.Phase);
        Assert.Equal(new Stay("m", ManualStartRequired), world.Step().For("m"));

        var id = world.Request(PlacementRequestKind.Start, "m");
        Assert.Equal(new Place("m", "server1", 1, ManualStart, id), world.Step().For("m"));
    }

    [Fact]
    public void Startup_StartsAutoGroupsWhateverStoppedThemInThePreviousRun()
    {
        var world = Starting(Wait).Group("g", Specs.All(), epoch: 7, reason: ManualStop);

        Assert.Equal(new Place("g", "server1", 8, Startup), world.Decide().For("g"));
    }

    public static TheoryData<string, StartupAttribute, string?, PlacementDecision> RunningRows() => new()
    {
        { "new automatic group starts", StartupAttribute.Auto, null, new Place("g", "server1", 1, Startup) },
        { "new manual group waits", StartupAttribute.Manual, null, new Stay("g", ManualStartRequired) },
        { "stopped by the operator stays stopped", StartupAttribute.Auto, ManualStop, new Stay("g", ManualStop) },
        { "cluster stop leftover, automatic: starts", StartupAttribute.Auto, ClusterStop, new Place("g", "server1", 1, Startup) },
        { "lost its server, manual startup: still wants to run", StartupAttribute.Manual, NoEligibleServer, new Place("g", "server1", 1, ServerAvailable) },
    };

    [Theory]
    [MemberData(nameof(RunningRows))]
    public void Running_UnplacedGroup(string row, StartupAttribute startup, string? reason, PlacementDecision expected)
    {
        var world = World.WithServers("server1").Group("g", Specs.All(startup: startup), reason: reason);

        var decision = world.Decide().For("g");

        Assert.True(expected == decision, $"{row}: {decision}");
    }

    [Fact]
    public void Stopped_UnplacesEveryGroup_LiveServersDrain_DownServersDoNot()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Specs.All(), on: "server1", epoch: 1).Group("b", Specs.All(), on: "server2", epoch: 4)
            .Group("c", Specs.All(), epoch: 2, reason: ManualStop)
            .Server("server2", ServerLiveness.Down);
        world.Phase = ClusterPhase.Stopped;

        var result = world.Decide();

        Assert.Equal(new Unplace("a", 2, ClusterStop, new Drain("server1", null)), result.For("a"));
        Assert.Equal(new Unplace("b", 5, ClusterStop, null), result.For("b"));
        Assert.Equal(new Stay("c", ClusterStopped), result.For("c"));
    }

    [Fact]
    public void Stopped_CancelsPendingMoveTarget_RefusesStartsAndMoves()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Specs.All(), epoch: 2, reason: ManualMove).Set("a", g => g with { Drain = new("server1", "server2", "op9") })
            .Group("b", Specs.All(), epoch: 1, reason: ClusterStop);
        world.Phase = ClusterPhase.Stopped;
        var start = world.Request(PlacementRequestKind.Start, "b");

        var result = world.Decide();

        Assert.Equal(new Unplace("a", 3, ClusterStop, new Drain("server1", null)), result.For("a"));
        Assert.Equal(new CannotPlace("b", ClusterStopped, start), result.For("b"));
    }

    [Fact]
    public void Suspended_NoFailoverNoMoveNoPhaseTwo_ButManualStop()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("down", Specs.All(), on: "server1", epoch: 1)
            .Group("move", Specs.All(), on: "server2", epoch: 1)
            .Group("released", Specs.All(), epoch: 2, reason: ManualMove).Set("released", g => g with { Drain = new("server3", "server2"), DrainedOffline = true })
            .Group("stop", Specs.All(), on: "server3", epoch: 1)
            .Server("server1", ServerLiveness.Down);
        world.Phase = ClusterPhase.Suspended;
        var move = world.Request(PlacementRequestKind.Move, "move");
        var stop = world.Request(PlacementRequestKind.Stop, "stop");

        var result = world.Decide();

        Assert.Equal(new Stay("down", ClusterSuspended), result.For("down"));
        Assert.Equal(new CannotPlace("move", ClusterSuspended, move), result.For("move"));
        Assert.Equal(new Stay("released", ClusterSuspended), result.For("released"));
        Assert.Equal(new Unplace("stop", 2, ManualStop, new Drain("server3", null, stop), stop), result.For("stop"));
    }

    [Fact]
    public void ServerLeft_GroupsMoveAwayInTwoPhases()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1)
            .Server("server1", ServerLiveness.Left);

        Assert.Equal(new Unplace("g", 2, ServerLeft, new Drain("server1", "server2")), world.Step().For("g"));
        world.ReportOffline("g");
        Assert.Equal(new Place("g", "server2", 3, ServerLeft, From: "server1"), world.Step().For("g"));
    }

    [Fact]
    public void Rejoined_PlacementIssuedBeforeTheAgentJoined_IsIssuedAgainOnTheSameServer()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 6)
            .Set("g", g => g with { IssuedBeforeJoin = true });

        Assert.Equal(new Place("g", "server1", 7, Rejoined), world.Decide().For("g"));
    }

    [Fact]
    public void PolicyNoLongerListsCurrentServer_MovesAwayInTwoPhases()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.OnServers(["server2"]), on: "server1", epoch: 1);

        Assert.Equal(new Unplace("g", 2, NotInPolicy, new Drain("server1", "server2")), world.Decide().For("g"));
    }
}
