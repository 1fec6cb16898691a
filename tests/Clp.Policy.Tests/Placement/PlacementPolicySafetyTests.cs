using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Conflicting evidence, determinism and epochs: the outcomes that cannot double-activate.</summary>
public class PlacementPolicySafetyTests
{
    [Fact]
    public void ServerListedUpAndDown_IsNotDown_SoItsGroupDoesNotFailOver()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1)
            .DuplicateServer("server1", ServerLiveness.Down);

        // Neither up nor down: treated as isolated, it keeps its group (and receives none).
        Assert.Equal(new Stay("g", ServerIsolated), world.Decide().For("g"));
    }

    [Fact]
    public void IsolatedServer_KeepsItsGroup_EvenWhenFailbackWouldMoveIt_AndReceivesNone()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("g", Specs.All(FailbackAttribute.Auto), on: "server2", epoch: 1)
            .Group("h", Specs.All(), on: null, epoch: 0)
            .Server("server2", ServerLiveness.Isolated)
            .Server("server1", ServerLiveness.Down);

        Assert.Equal(new Stay("g", ServerIsolated), world.Decide().For("g"));
        Assert.Equal("server3", Assert.IsType<Place>(world.Decide().For("h")).Server);

        // server1 is back and first in policy order: a failback would drain g from server2, which could
        // never report it Offline; it stays.
        world.Server("server1", ServerLiveness.Up);
        Assert.Equal(new Stay("g", ServerIsolated), world.Decide().For("g"));
    }

    [Fact]
    public void ServerListedUpAndDown_IsNotEligible()
    {
        var world = World.WithServers("server1", "server2", "server3").Group("g", Specs.All(), on: "server1", epoch: 1)
            .Server("server1", ServerLiveness.Down)
            .DuplicateServer("server2", ServerLiveness.Down);

        Assert.Equal("server3", Assert.IsType<Place>(world.Decide().For("g")).Server);
    }

    [Fact]
    public void UnknownCurrentServer_IsDrainedLikeALiveOne_AndTheGroupWaits()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "deleted", epoch: 1);

        Assert.Equal(new Unplace("g", 2, NotInPolicy, new Drain("deleted", "server1")), world.Step().For("g"));
        Assert.Equal(new Stay("g", WaitingForOffline), world.Step().For("g"));
    }

    [Fact]
    public void DuplicateGroupNames_AreRefused()
    {
        var input = World.WithServers("server1").Group("g", Specs.All()).Input() with
        {
            Groups = [new("g", Specs.All()), new("G", Specs.All())],
        };

        Assert.Throws<ArgumentException>(() => PlacementPolicy.Decide(input));
    }

    [Fact]
    public void Decide_IsDeterministic_WhateverTheInputOrder()
    {
        var world = World.WithServers("server1", "server2", "server3")
            .Group("c", Specs.All(exclusive: ExclusiveAttribute.Absolute))
            .Group("a", Specs.All(exclusive: ExclusiveAttribute.Absolute))
            .Group("b", Specs.All(exclusive: ExclusiveAttribute.Absolute));
        var input = world.Input();
        var reversed = input with { Groups = [.. input.Groups.Reverse()], Servers = [.. input.Servers.Reverse()] };

        Assert.Equal(PlacementPolicy.Decide(input).Decisions, PlacementPolicy.Decide(reversed).Decisions);
        Assert.Equal(["a", "b", "c"], PlacementPolicy.Decide(reversed).Decisions.Select(d => d.Group));
    }

    [Fact]
    public void Epochs_IncreaseByOneOnEveryWrite_AcrossAStory()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(FailbackAttribute.Auto));
        world.Phase = ClusterPhase.Starting;
        var epochs = new List<long>();
        void Step()
        {
            foreach (var write in world.Step().Writes)
            {
                epochs.Add(write is Place p ? p.Epoch : ((Unplace)write).Epoch);
            }
        }

        Step();                                                         // startup on server1
        world.Server("server1", ServerLiveness.Down);
        Step();                                                         // failover to server2
        world.Server("server1", ServerLiveness.Up);
        Step();                                                         // failback phase one
        world.ReportOffline("g");
        Step();                                                         // failback phase two
        world.Request(PlacementRequestKind.Move, "g", "server2");
        Step();
        world.ReportOffline("g");
        Step();                                                         // move landed on server2
        Step();                                                         // failback phase one
        world.ReportOffline("g");
        Step();                                                         // back on server1
        world.Request(PlacementRequestKind.Stop, "g");
        Step();
        world.Phase = ClusterPhase.Stopped;
        Step();                                                         // already stopping: no write
        world.Phase = ClusterPhase.Starting;
        world.ReportOffline("g");
        Step();                                                         // started again

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), epochs);
    }
}
