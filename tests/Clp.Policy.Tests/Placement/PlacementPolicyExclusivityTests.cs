using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>The failover-exclusive attribute: Absolute never shares, Normal prefers not to.</summary>
public class PlacementPolicyExclusivityTests
{
    private static readonly GroupSpec Absolute = Specs.All(exclusive: ExclusiveAttribute.Absolute);
    private static readonly GroupSpec Normal = Specs.All(exclusive: ExclusiveAttribute.Normal);

    [Fact]
    public void Absolute_Failover_SkipsServerRunningAnotherAbsoluteGroup()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("a", Absolute, on: "server1", epoch: 1).Group("b", Absolute, on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal("server3", Assert.IsType<Place>(world.Decide().For("a")).Server);
    }

    [Fact]
    public void Absolute_NoServerWithoutAnotherAbsoluteGroup_NoPlacement()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Absolute, on: "server1", epoch: 1).Group("b", Absolute, on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal(new Unplace("a", 2, NoEligibleServer, null), world.Decide().For("a"));
    }

    [Fact]
    public void Absolute_SharesWithGroupsOfOtherAttributes()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Absolute, on: "server1", epoch: 1)
            .Group("n", Normal, on: "server2", epoch: 1).Group("o", Specs.All(), on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal("server2", Assert.IsType<Place>(world.Decide().For("a")).Server);
    }

    [Fact]
    public void Absolute_StartupOfSeveralGroups_SpreadsThemInNameOrder()
    {
        var world = World.WithServers("server1", "server2").Group("b", Absolute).Group("a", Absolute).Group("c", Absolute);

        var result = world.Decide();

        Assert.Equal(new Place("a", "server1", 1, Startup), result.For("a"));
        Assert.Equal(new Place("b", "server2", 1, Startup), result.For("b"));
        Assert.Equal(new CannotPlace("c", NoEligibleServer), result.For("c"));
    }

    [Fact]
    public void Absolute_TwoGroupsFailingOverTogether_OnlyOneGetsTheFreeServer()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("a", Absolute, on: "server1", epoch: 1).Group("b", Absolute, on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down).Server("server2", ServerLiveness.Down);

        var result = world.Decide();

        Assert.Equal("server3", Assert.IsType<Place>(result.For("a")).Server);
        Assert.Equal(new Unplace("b", 2, NoEligibleServer, null), result.For("b"));
    }

    [Fact]
    public void Absolute_PendingTargetAndDrainingServer_AreOccupied()
    {
        // a is moving server1 -> server3 and server1 has not released it yet: neither is free for b.
        var world = World.WithServers("server1", "server2", "server3")
            .Group("a", Absolute, epoch: 2, reason: ManualMove).Set("a", g => g with { Drain = new("server1", "server3") })
            .Group("b", Absolute, on: "server2", epoch: 1)
            .Server("server2", ServerLiveness.Down);

        Assert.Equal(new Unplace("b", 2, NoEligibleServer, null), world.Decide().For("b"));
    }

    [Fact]
    public void Absolute_SharedServerAfterSpecChange_LaterNameMovesAwayInTwoPhases()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Absolute, on: "server1", epoch: 1).Group("b", Absolute, on: "server1", epoch: 1);

        var result = world.Decide();

        Assert.Equal(new Stay("a", Unchanged), result.For("a"));
        Assert.Equal(new Unplace("b", 2, Exclusivity, new Drain("server1", "server2")), result.For("b"));
    }

    [Fact]
    public void Absolute_ManualMoveOntoAnotherAbsoluteGroup_IsRefused()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Absolute, on: "server1", epoch: 1).Group("b", Absolute, on: "server2", epoch: 1);
        var id = world.Request(PlacementRequestKind.Move, "a", "server2");

        Assert.Equal(new CannotPlace("a", Exclusivity, id), world.Decide().For("a"));
    }

    [Fact]
    public void Normal_PrefersServerWithoutAnotherNormalGroup()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("a", Normal, on: "server1", epoch: 1).Group("b", Normal, on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal("server3", Assert.IsType<Place>(world.Decide().For("a")).Server);
    }

    [Fact]
    public void Normal_OnlyServersWithAnotherNormalGroup_StillFailsOver()
    {
        var world = World.WithServers("server1", "server2")
            .Group("a", Normal, on: "server1", epoch: 1).Group("b", Normal, on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal("server2", Assert.IsType<Place>(world.Decide().For("a")).Server);
    }

    [Fact]
    public void Off_IgnoresOtherGroups()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("a", Specs.All(), on: "server1", epoch: 1).Group("b", Specs.All(), on: "server2", epoch: 1)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal("server2", Assert.IsType<Place>(world.Decide().For("a")).Server);
    }
}
