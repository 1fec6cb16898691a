using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Failover order and failback: one-way and two-way standby, server groups, priorities.</summary>
public class PlacementPolicyStandbyTests
{
    [Fact]
    public void OneWayStandby_ActiveServerDown_FailsOverToStandbyAtOnce()
    {
        var world = World.WithServers("server1", "server2").Group("failover1", Specs.All(), on: "server1", epoch: 1);
        world.Server("server1", ServerLiveness.Down);

        var decision = world.Step().For("failover1");

        Assert.Equal(new Place("failover1", "server2", 2, ServerDown, From: "server1"), decision);
    }

    [Fact]
    public void OneWayStandby_ServerReturnsWithManualFailback_GroupStays()
    {
        var world = World.WithServers("server1", "server2").Group("failover1", Specs.All(), on: "server1", epoch: 1);
        world.Server("server1", ServerLiveness.Down).Step();
        world.Server("server1", ServerLiveness.Up);

        Assert.Equal(new Stay("failover1", Unchanged), world.Step().For("failover1"));
        Assert.Equal("server2", world["failover1"].Current);
    }

    [Fact]
    public void OneWayStandby_ServerReturnsWithAutoFailback_MovesBackInTwoPhases()
    {
        var world = World.WithServers("server1", "server2")
            .Group("failover1", Specs.All(FailbackAttribute.Auto), on: "server1", epoch: 1);
        world.Server("server1", ServerLiveness.Down).Step();
        world.Server("server1", ServerLiveness.Up);

        Assert.Equal(new Unplace("failover1", 3, Failback, new Drain("server2", "server1")), world.Step().For("failover1"));
        Assert.Equal(new Stay("failover1", WaitingForOffline), world.Step().For("failover1"));

        world.ReportOffline("failover1");
        Assert.Equal(new Place("failover1", "server1", 4, Failback, From: "server2"), world.Step().For("failover1"));
    }

    [Fact]
    public void AutoFailback_HigherServerUpButNotJoined_Stays()
    {
        var world = World.WithServers("server1", "server2")
            .Group("failover1", Specs.All(FailbackAttribute.Auto), on: "server2", epoch: 2)
            .Server("server1", joined: false);

        Assert.Equal(new Stay("failover1", Unchanged), world.Decide().For("failover1"));
    }

    [Fact]
    public void TwoWayStandby_EachServerRunsOneGroup_AndEachFailsOverToTheOther()
    {
        var world = World.WithServers("server1", "server2")
            .Group("g1", Specs.OnServers(["server1", "server2"]))
            .Group("g2", Specs.OnServers(["server2", "server1"]));
        world.Phase = ClusterPhase.Starting;

        var start = world.Step();
        Assert.True(start.StartupComplete);
        Assert.Equal(new Place("g1", "server1", 1, Startup), start.For("g1"));
        Assert.Equal(new Place("g2", "server2", 1, Startup), start.For("g2"));

        world.Server("server2", ServerLiveness.Down);
        var failover = world.Step();
        Assert.Equal(new Stay("g1", Unchanged), failover.For("g1"));
        Assert.Equal(new Place("g2", "server1", 2, ServerDown, From: "server2"), failover.For("g2"));
    }

    public static TheoryData<string, string[], string> ServerGroupRows() => new()
    {
        { "svg1's other server first", ["server1"], "server2" },
        { "svg1 all down: first of svg2", ["server1", "server2"], "server3" },
    };

    [Theory]
    [MemberData(nameof(ServerGroupRows))]
    public void ServerGroups_CurrentServerDown_FailsOverInServerGroupOrder(string row, string[] down, string expected)
    {
        var world = World.WithServers("server1", "server2", "server3")
            .ServerGroup("svg1", "server1", "server2").ServerGroup("svg2", "server3")
            .Group("g", Specs.OnServerGroups("svg1", "svg2"), on: "server1", epoch: 1);
        foreach (var server in down)
        {
            world.Server(server, ServerLiveness.Down);
        }

        var place = Assert.IsType<Place>(world.Decide().For("g"));
        Assert.True(expected == place.Server, $"{row}: placed on {place.Server}");
    }

    [Fact]
    public void ServerGroups_PolicyOrderBeatsServerPriority()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .ServerGroup("svg1", "server1", "server2").ServerGroup("svg2", "server3")
            .Group("g", Specs.OnServerGroups("svg2", "svg1"));

        Assert.Equal(new Place("g", "server3", 1, Startup), world.Decide().For("g"));
    }

    [Fact]
    public void ServersPolicy_ListOrderBeatsServerPriority()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.OnServers(["server2", "server1"]));

        Assert.Equal(new Place("g", "server2", 1, Startup), world.Decide().For("g"));
    }

    [Fact]
    public void AllServers_LowerPriorityNumberFirst()
    {
        var world = new World().Server("server1", priority: 2).Server("server2", priority: 1).Group("g", Specs.All());

        Assert.Equal(new Place("g", "server2", 1, Startup), world.Decide().For("g"));
    }

    [Fact]
    public void Failover_TakesFirstEligibleInOrder_NotTheNextOneRound()
    {
        var world = World.WithServers("server1", "server2", "server3").Group("g", Specs.All(), on: "server2", epoch: 4);
        world.Server("server2", ServerLiveness.Down);

        Assert.Equal("server1", Assert.IsType<Place>(world.Decide().For("g")).Server);
    }

    [Fact]
    public void Failover_SkipsServersThatAreNotUpAndJoined()
    {
        var world = World.WithServers("server1", "server2", "server3", "server4")
            .Group("g", Specs.All(), on: "server1", epoch: 1)
            .Server("server1", ServerLiveness.Down)
            .Server("server2", joined: false)
            .Server("server3", ServerLiveness.Left);

        Assert.Equal("server4", Assert.IsType<Place>(world.Decide().For("g")).Server);
    }

    [Fact]
    public void Failover_NoEligibleServer_UnplacesWithoutDrain_ThenPlacesWhenOneReturns()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1)
            .Server("server1", ServerLiveness.Down).Server("server2", ServerLiveness.Down);

        Assert.Equal(new Unplace("g", 2, NoEligibleServer, null), world.Step().For("g"));
        Assert.Equal(new CannotPlace("g", NoEligibleServer), world.Step().For("g"));

        world.Server("server2", ServerLiveness.Up);
        Assert.Equal(new Place("g", "server2", 3, ServerAvailable), world.Step().For("g"));
    }
}
