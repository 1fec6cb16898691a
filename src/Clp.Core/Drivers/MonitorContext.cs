using System.Text.Json.Nodes;

namespace Clp.Core.Drivers;

/// <summary>What a monitor probe is told about the monitor it runs.</summary>
/// <param name="Target">The monitored resource, for monitors that watch one (fipw, appliw, ...).</param>
/// <param name="TargetParameters">The target resource's parameters (e.g. the fip's address), when there is a target.</param>
public sealed record MonitorContext(
    string Cluster,
    string Server,
    string Monitor,
    string Type,
    JsonObject Parameters,
    string? Target,
    JsonObject? TargetParameters);
