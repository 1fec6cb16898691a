using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using Clp.Core.Model;
using Clp.Core.Validation;

namespace Clp.Core.Tests.Validation;

/// <summary>Rules that the API cannot reach today because their inputs are refused earlier (mirror disks
/// are not supported yet), checked on the validator directly.</summary>
public class ObjectValidatorTests
{
    private static readonly ObjectValidator Validator = new(TypeCatalog.Default);

    private static Cluster NewCluster() => new()
    {
        Kind = "Cluster",
        Metadata = new ObjectMeta { Name = "c1" },
        Spec = new ClusterSpec { Interconnects = [new InterconnectSpec { Name = "lan1" }] },
    };

    private static Group NewGroup(FailbackAttribute failback) => new()
    {
        Kind = "Group",
        Metadata = new ObjectMeta { Name = "g1" },
        Spec = new GroupSpec { Failback = failback },
    };

    private static Resource MirrorDisk() => new()
    {
        Kind = "Resource",
        Metadata = new ObjectMeta { Name = "md1" },
        Spec = new ResourceSpec { Group = "g1", Type = "md", Parameters = new JsonObject() },
    };

    [Fact]
    public void Group_AutoFailbackWithMirrorDisk_IsRefused()
    {
        var snapshot = new ClusterSnapshot(NewCluster(), [], [], [NewGroup(FailbackAttribute.Manual)], [MirrorDisk()], []);
        var errors = Validator.Validate(NewGroup(FailbackAttribute.Auto), snapshot);
        Assert.Contains(errors, e => e.Field == "spec.failback" && e.Rule == "failback-auto-mirror-disk");
    }

    [Fact]
    public void Group_ManualFailbackWithMirrorDisk_IsAccepted()
    {
        var snapshot = new ClusterSnapshot(NewCluster(), [], [], [NewGroup(FailbackAttribute.Manual)], [MirrorDisk()], []);
        Assert.DoesNotContain(Validator.Validate(NewGroup(FailbackAttribute.Manual), snapshot), e => e.Rule == "failback-auto-mirror-disk");
    }

    [Fact]
    public void Resource_MirrorDiskInAutoFailbackGroup_IsRefused()
    {
        var snapshot = new ClusterSnapshot(NewCluster(), [], [], [NewGroup(FailbackAttribute.Auto)], [], []);
        var errors = Validator.Validate(MirrorDisk(), snapshot);
        Assert.Contains(errors, e => e.Field == "spec.type" && e.Rule == "unsupported-type");
    }

    [Fact]
    public void Cluster_HeartbeatTimeoutAtThreeIntervals_IsAccepted_AndOneBelowIsRefused()
    {
        var cluster = NewCluster();
        cluster.Spec.Heartbeat = new HeartbeatSpec { IntervalMs = 1000, TimeoutMs = 3000 };
        var empty = new ClusterSnapshot(null, [], [], [], [], []);
        Assert.DoesNotContain(Validator.Validate(cluster, empty), e => e.Field.StartsWith("spec.heartbeat", StringComparison.Ordinal));
        cluster.Spec.Heartbeat.TimeoutMs = 2999;
        Assert.Contains(Validator.Validate(cluster, empty), e => e.Rule == "heartbeat-timeout-min");
    }

    [Theory]
    [InlineData(IsolationAction.StopGroups, true)]
    [InlineData(IsolationAction.StopClusterService, true)]
    [InlineData(IsolationAction.Shutdown, true)]
    [InlineData(IsolationAction.Reboot, true)]
    [InlineData((IsolationAction)4, false)]
    [InlineData((IsolationAction)(-1), false)]
    public void Cluster_IsolationAction_OnlyTheNamedActionsAreAccepted(IsolationAction action, bool accepted)
    {
        var cluster = NewCluster();
        cluster.Spec.IsolationAction = action;
        var errors = Validator.Validate(cluster, new ClusterSnapshot(null, [], [], [], [], []));
        Assert.Equal(accepted, !errors.Any(e => e.Field == "spec.isolationAction" && e.Rule == "enum"));
    }
}
