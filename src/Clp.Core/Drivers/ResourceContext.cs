using System.Text.Json.Nodes;

namespace Clp.Core.Drivers;

/// <summary>What a resource driver is told about the resource it acts on.</summary>
/// <param name="Parameters">The type parameters with the catalog's defaults filled in.</param>
/// <param name="Reason">Why the group is acting: start, failover, move or stop (scripts see it).</param>
/// <param name="Epoch">The placement epoch the agent acts under.</param>
public sealed record ResourceContext(
    string Cluster,
    string Server,
    string Group,
    string Resource,
    string Type,
    JsonObject Parameters,
    GroupEvent Reason,
    long Epoch);

/// <summary>Why a group's resources are being activated or deactivated (CLUSTERPRO's script events).</summary>
public enum GroupEvent
{
    Start,
    Failover,
    Move,
    Stop,
}
