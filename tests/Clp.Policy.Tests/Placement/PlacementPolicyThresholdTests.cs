using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Failover thresholds and the failover count unit (per server or per cluster).</summary>
public class PlacementPolicyThresholdTests
{
    public static TheoryData<string, FailoverCountUnit, string?, int, int?, bool> Rows() => new()
    {
        { "server unit: server1 used its one failover", FailoverCountUnit.Server, "server1", 1, 1, false },
        { "server unit: a failover counted on server2 does not limit server1", FailoverCountUnit.Server, "server2", 1, 1, true },
        { "server unit: below the threshold", FailoverCountUnit.Server, "server1", 1, 2, true },
        { "cluster unit: one count for every server", FailoverCountUnit.Cluster, null, 1, 1, false },
        { "cluster unit: below the threshold", FailoverCountUnit.Cluster, null, 0, 1, true },
        { "default threshold = number of servers (2): one used", FailoverCountUnit.Server, "server1", 1, null, true },
        { "default threshold = number of servers (2): two used", FailoverCountUnit.Server, "server1", 2, null, false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void ServerDown_FailoverAllowedOnlyBelowThreshold(
        string row, FailoverCountUnit unit, string? countedOn, int used, int? threshold, bool allowed)
    {
        var world = World.WithServers("server1", "server2")
            .Group("g", Specs.All(), on: "server1", epoch: 1, threshold: threshold)
            .Server("server1", ServerLiveness.Down);
        world.Counts = new(unit, [new(new("g", countedOn), used)]);

        var decision = world.Decide().For("g");

        PlacementDecision expected = allowed
            ? new Place("g", "server2", 2, ServerDown, From: "server1", Charge: new("g", unit == FailoverCountUnit.Server ? "server1" : null))
            : new Unplace("g", 2, FailoverThresholdReached, null);
        Assert.True(expected == decision, $"{row}: {decision}");
    }

    [Fact]
    public void ClusterUnit_FailoversFromDifferentServersShareOneCount()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: 1);
        world.Counts = new(FailoverCountUnit.Cluster);

        world.Server("server1", ServerLiveness.Down).Step();
        world.Server("server1", ServerLiveness.Up).Server("server2", ServerLiveness.Down);

        Assert.Equal(1, world.Counts.Of("g", "server2"));
        Assert.Equal(new Unplace("g", 3, FailoverThresholdReached, null), world.Step().For("g"));
    }

    [Fact]
    public void ServerUnit_FailoversFromDifferentServersCountSeparately()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: 1);

        world.Server("server1", ServerLiveness.Down).Step();
        world.Server("server1", ServerLiveness.Up).Server("server2", ServerLiveness.Down);

        Assert.Equal(new Place("g", "server1", 3, ServerDown, From: "server2", Charge: new("g", "server2")), world.Step().For("g"));
    }

    [Fact]
    public void ThresholdReached_GroupStaysStoppedUntilStartedByHand()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: 0)
            .Server("server1", ServerLiveness.Down);
        world.Step();
        world.Server("server1", ServerLiveness.Up);

        Assert.Equal(new Stay("g", FailoverThresholdReached), world.Step().For("g"));

        var id = world.Request(PlacementRequestKind.Start, "g");
        Assert.Equal(new Place("g", "server1", 3, ManualStart, id), world.Step().For("g"));
    }

    [Fact]
    public void RecoveryFailover_AtThreshold_IsRefusedAndGroupStays()
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: 1);
        world.Counts = new(FailoverCountUnit.Server, [new(new("g", "server1"), 1)]);
        var id = world.Request(PlacementRequestKind.Failover, "g", "server1");

        Assert.Equal(new CannotPlace("g", FailoverThresholdReached, id), world.Step().For("g"));
        Assert.Equal("server1", world["g"].Current);
    }

    [Fact]
    public void FailoverCounts_KeysByUnitCaseInsensitively_AndReset()
    {
        var perServer = new FailoverCounts(FailoverCountUnit.Server).Charged(new("G", "Server1"));
        var perCluster = new FailoverCounts(FailoverCountUnit.Cluster).Charged(new("g", null));

        Assert.Equal(1, perServer.Of("g", "server1"));
        Assert.Equal(0, perServer.Of("g", "server2"));
        Assert.Equal(1, perCluster.Of("g", "anything"));
        Assert.Equal(2, perServer.Charged(perServer.KeyFor("g", "SERVER1")).Of("g", "server1"));
        Assert.Equal(0, perServer.Reset("g").Of("g", "server1"));
    }
}
