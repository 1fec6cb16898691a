using System.Text.Json.Nodes;

namespace Clp.Core.Model;

/// <summary>A monitor resource: a probe on a schedule that runs a recovery on error.</summary>
public sealed class Monitor : ClpObject<MonitorSpec, MonitorStatus>
{
}

public sealed class MonitorSpec
{
    public string? Description { get; set; }

    /// <summary>A monitor type of the type catalog.</summary>
    public string Type { get; set; } = "";

    /// <summary>Always (cluster start to stop) or Active (only while <see cref="Target"/> is active on the
    /// server). Default: the type's default timing.</summary>
    public MonitorTiming? Timing { get; set; }

    /// <summary>For active-time monitors, and for monitors that watch a resource: the resource name.</summary>
    public string? Target { get; set; }

    /// <summary>Default 60 s.</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>A probe that takes longer has failed. Default 60 s.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Consecutive failures tolerated before the monitor is in error. Default 1.</summary>
    public int RetryCount { get; set; } = 1;

    /// <summary>Seconds after start before the first probe. Default 0.</summary>
    public int StartWaitSeconds { get; set; }

    /// <summary>Servers the monitor runs on; empty = all.</summary>
    public List<string> Servers { get; set; } = [];

    public MonitorRecovery Recovery { get; set; } = new();

    /// <summary>Type parameters; the type catalog gives the closed schema and defaults.</summary>
    public JsonObject Parameters { get; set; } = [];
}

public enum MonitorTiming
{
    Always,
    Active,
}

/// <summary>Recovery on monitor error: restart the target N times, fail its group over M times, then the
/// final action.</summary>
public sealed class MonitorRecovery
{
    public RecoveryTargetKind TargetKind { get; set; } = RecoveryTargetKind.LocalServer;

    /// <summary>The resource or group name for those target kinds.</summary>
    public string? Target { get; set; }

    /// <summary>Restarts of the target before a failover. Default 3.</summary>
    public int RestartCount { get; set; } = 3;

    /// <summary>Failovers before the final action. Default 1.</summary>
    public int FailoverCount { get; set; } = 1;

    /// <summary>Default <see cref="FinalAction.None"/>.</summary>
    public FinalAction FinalAction { get; set; } = FinalAction.None;
}

public enum RecoveryTargetKind
{
    Resource,
    Group,
    LocalServer,
    AllGroups,
}

/// <summary>Computed on read from the Server statuses: the monitor's state on each server.</summary>
public sealed class MonitorStatus : ObjectStatus
{
    public Dictionary<string, ObjectStateOnServer>? Servers { get; set; }
}
