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
    public void RecoveryFailover_AllowedOnlyBelowThreshold(
        string row, FailoverCountUnit unit, string? countedOn, int used, int? threshold, bool allowed)
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: threshold);
        world.Counts = new(unit, [new(new("g", countedOn), used)]);
        var id = world.Request(PlacementRequestKind.Failover, "g", "server1");

        var decision = world.Decide().For("g");

        PlacementDecision expected = allowed
            ? new Unplace("g", 2, Failover, new Drain("server1", "server2", id), id, new("g", unit == FailoverCountUnit.Server ? "server1" : null))
            : new CannotPlace("g", FailoverThresholdReached, id);
        Assert.True(expected == decision, $"{row}: {decision}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void ServerDown_IsNeitherLimitedNorCharged_ByTheThreshold(int used)
    {
        var world = World.WithServers("server1", "server2").Group("g", Specs.All(), on: "server1", epoch: 1, threshold: 1)
            .Server("server1", ServerLiveness.Down);
        world.Counts = new(FailoverCountUnit.Server, [new(new("g", "server1"), used)]);

        Assert.Equal(new Place("g", "server2", 2, ServerDown, From: "server1"), world.Step().For("g"));
        Assert.Equal(used, world.Counts.Of("g", "server1"));
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
