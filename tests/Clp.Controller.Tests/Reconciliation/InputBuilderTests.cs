using Clp.Controller.Reconciliation;
using Clp.Core.Model;
using Clp.Policy.Placement;

namespace Clp.Controller.Tests.Reconciliation;

/// <summary>How stored objects become the policy's input: drains released by an Offline report at the
/// epoch, placements issued before a join, failover counts in group statuses.</summary>
public sealed class InputBuilderTests
{
    public static TheoryData<string, string, long?, long, bool> OfflineRows() => new()
    {
        { "Offline at the epoch", "Offline", 5, 5, true },
        { "Offline at a later epoch", "Offline", 6, 5, true },
        { "Offline at an older epoch does not count", "Offline", 4, 5, false },
        { "Online at the epoch is not released", "Online", 5, 5, false },
        { "Offline without an epoch does not count", "Offline", null, 5, false },
        { "status words compare case-insensitively", "offline", 5, 5, true },
    };

    /// <summary>A status word as the agent writes it, read the way the store and the API read it.</summary>
    private static ObjectState StoredWord(string word) =>
        System.Text.Json.JsonSerializer.Deserialize<ObjectState>($"\"{word}\"", Clp.Core.Json.ClpJson.StoredOptions);

    [Theory]
    [MemberData(nameof(OfflineRows))]
    public void ReportsOffline_Rule(string rule, string state, long? reportedEpoch, long groupEpoch, bool expected)
    {
        var server = new Server
        {
            Metadata = new ObjectMeta { Name = "s1" },
            Status = new ServerStatus { Groups = new() { ["G1"] = new ObjectStateOnServer { State = StoredWord(state), Epoch = reportedEpoch } } },
        };
        Assert.True(expected == InputBuilder.ReportsOffline(server, "g1", groupEpoch), rule);
    }

    [Fact]
    public void ReportsOffline_UnknownServerOrNoStatus_IsNotReleased()
    {
        Assert.False(InputBuilder.ReportsOffline(null, "g1", 1));
        Assert.False(InputBuilder.ReportsOffline(new Server(), "g1", 1));
    }

    public static TheoryData<string, long?, long, bool, bool, bool> JoinRows() => new()
    {
        { "issued before the join (issuedAfter <= floor)", 10, 10, false, true, true },
        { "issued after the join", 11, 10, false, true, false },
        { "a placement from before issuedAfter existed counts as before", null, 0, false, true, true },
        { "a revoked lease is not a join", 5, 10, true, true, false },
        { "a server that has not joined is not re-issued", 5, 10, false, false, false },
    };

    [Theory]
    [MemberData(nameof(JoinRows))]
    public void IssuedBeforeJoin_Rule(string rule, long? issuedAfter, long floor, bool revoked, bool joined, bool expected)
    {
        var status = new GroupStatus { CurrentServer = "s1", Epoch = 3, IssuedAfter = issuedAfter };
        var lease = new Lease { Metadata = new ObjectMeta { Name = "s1" }, Status = new LeaseStatus { EpochFloor = floor, Revoked = revoked } };
        var leases = new Dictionary<string, Loaded<Lease>>(StringComparer.OrdinalIgnoreCase) { ["s1"] = new(lease, 1) };
        var servers = new Dictionary<string, ServerState>(StringComparer.OrdinalIgnoreCase) { ["s1"] = new("s1", 1, ServerLiveness.Up, joined) };
        Assert.True(expected == InputBuilder.IssuedBeforeJoin(status, leases, servers), rule);
    }

    [Theory]
    [InlineData(FailoverCountUnit.Server)]
    [InlineData(FailoverCountUnit.Cluster)]
    public void FailoverCounts_RoundTripThroughGroupStatus(FailoverCountUnit unit)
    {
        var counts = new FailoverCounts(unit);
        counts = counts.Charged(counts.KeyFor("g1", "s1")).Charged(counts.KeyFor("g1", "s1")).Charged(counts.KeyFor("g1", "s2"));
        var group = new Group { Metadata = new ObjectMeta { Name = "g1" }, Status = new GroupStatus { FailoverCounts = InputBuilder.CountsFor(counts, "g1") } };
        var read = InputBuilder.CountsOf(unit, [group]);
        Assert.Equal(unit == FailoverCountUnit.Server ? 2 : 3, read.Of("g1", "s1"));
        Assert.Equal(unit == FailoverCountUnit.Server ? 1 : 3, read.Of("g1", "s2"));
        Assert.Null(InputBuilder.CountsFor(new FailoverCounts(unit), "g1"));
    }

    [Theory]
    [InlineData(null, ClusterPhase.Stopped)]
    [InlineData(ClusterPhase.Starting, ClusterPhase.Starting)]
    [InlineData(ClusterPhase.Running, ClusterPhase.Running)]
    [InlineData(ClusterPhase.Suspended, ClusterPhase.Suspended)]
    [InlineData(ClusterPhase.Stopped, ClusterPhase.Stopped)]
    public void PhaseOf_ANewClusterIsStopped(ClusterPhase? stored, ClusterPhase expected) => Assert.Equal(expected, InputBuilder.PhaseOf(stored));
}
