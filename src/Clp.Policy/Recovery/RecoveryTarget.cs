using Clp.Core.Model;

namespace Clp.Policy.Recovery;

/// <summary>What a recovery acts on: a resource (of a group), a group, the local server, or every group
/// on this server.</summary>
/// <param name="Name">The resource or group name; null for LocalServer and AllGroups.</param>
/// <param name="Group">The group a failover moves: the resource's group, or the group itself; null for
/// LocalServer and AllGroups (a failover of AllGroups moves every group active on this server).</param>
public sealed record RecoveryTarget(RecoveryTargetKind Kind, string? Name, string? Group)
{
    public static RecoveryTarget LocalServer { get; } = new(RecoveryTargetKind.LocalServer, null, null);

    public static RecoveryTarget AllGroups { get; } = new(RecoveryTargetKind.AllGroups, null, null);

    public static RecoveryTarget ForResource(string resource, string group) => new(RecoveryTargetKind.Resource, resource, group);

    public static RecoveryTarget ForGroup(string group) => new(RecoveryTargetKind.Group, group, group);
}
