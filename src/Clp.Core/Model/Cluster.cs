namespace Clp.Core.Model;

/// <summary>A cluster: one desired-state document for its servers, groups, resources and monitors.</summary>
public sealed class Cluster : ClpObject<ClusterSpec, ClusterStatus>
{
}

public sealed class ClusterSpec
{
    public string? Description { get; set; }

    public HeartbeatSpec Heartbeat { get; set; } = new();

    /// <summary>How long a starting cluster waits for every server before it starts groups
    /// (CLUSTERPRO's server sync wait). Default 300 s.</summary>
    public int StartupSyncWaitSeconds { get; set; } = 300;

    /// <summary>Whether failover thresholds count per server or for the whole cluster. Default
    /// <see cref="FailoverCountUnit.Server"/>.</summary>
    public FailoverCountUnit FailoverCountUnit { get; set; } = FailoverCountUnit.Server;

    /// <summary>Suppresses recovery actions on monitor errors (used while first trying a new
    /// configuration). Activation-failure recovery and server-down failover still run. Default false.</summary>
    public bool SuppressMonitorRecovery { get; set; }

    /// <summary>Heartbeat paths, in priority order; at least one LAN interconnect must reach every server.</summary>
    public List<InterconnectSpec> Interconnects { get; set; } = [];

    /// <summary>Network-partition resolvers; empty means the controller alone decides (DESIGN rule 9).</summary>
    public List<NpResolverSpec> NpResolvers { get; set; } = [];

    /// <summary>What a server does after it fenced because it is isolated (CLUSTERPRO's "action at NP
    /// occurrence"; docs/partition-safety.md, section 4). The fence always comes first and releases
    /// everything by lease age T; the action follows it. Default <see cref="IsolationAction.StopGroups"/>.</summary>
    public IsolationAction IsolationAction { get; set; } = IsolationAction.StopGroups;
}

/// <summary>The action that follows an isolation fence: a server whose lease ran out at lease age T − F
/// while NP resolution gave it no deferral (it reaches neither the API nor a surviving side) fences, and
/// then takes this action. A fence for any other reason is never followed by it: a lease revoked while the
/// API answers (the API is reachable, so the server rejoins), a fence guard's release, a graceful stop.</summary>
/// <remarks>Failure mode operators must know: an agent cannot tell "isolated" from "the API is down for
/// everyone and no side holds a quorum without it" (docs/partition-safety.md, section 7). With any action
/// but <see cref="StopGroups"/> such an outage stops the cluster service on, shuts down or reboots EVERY
/// server; with <see cref="StopClusterService"/> or <see cref="Shutdown"/> nothing comes back until an
/// operator starts it.</remarks>
public enum IsolationAction
{
    /// <summary>The fence alone: every group stopped; the agent joins again (new incarnation) as soon as
    /// the API answers. CLP's behaviour before the setting existed.</summary>
    StopGroups,

    /// <summary>Then stop the cluster service: clp-agent exits with code 4 and does not join again until
    /// it is started again (a supervisor must not restart it on that code).</summary>
    StopClusterService,

    /// <summary>Then shut the server's operating system down (through the system-actions port).</summary>
    Shutdown,

    /// <summary>Then reboot the server (through the system-actions port); its agent joins again after the
    /// reboot, and the groups stay where they failed over.</summary>
    Reboot,
}

/// <summary>Heartbeat timing. Defaults as CLUSTERPRO: interval 3 s, timeout 30 s; the timeout must be at
/// least 3 intervals and the interval at least 100 ms.</summary>
public sealed class HeartbeatSpec
{
    public int IntervalMs { get; set; } = 3000;

    public int TimeoutMs { get; set; } = 30000;
}

public enum FailoverCountUnit
{
    Server,
    Cluster,
}

/// <summary>A heartbeat path. For <see cref="InterconnectType.Lan"/> each server names its address on it.</summary>
public sealed class InterconnectSpec
{
    public string Name { get; set; } = "";

    public InterconnectType Type { get; set; } = InterconnectType.Lan;

    /// <summary>Lower first.</summary>
    public int Priority { get; set; }

    /// <summary>The network (CIDR) its addresses live in, e.g. <c>192.168.0.0/24</c>; optional.</summary>
    public string? Network { get; set; }

    /// <summary>For <see cref="InterconnectType.Witness"/>: the witness URL.</summary>
    public string? WitnessUrl { get; set; }

    /// <summary>For <see cref="InterconnectType.Lan"/>: the UDP port the agents' heartbeats use on it.
    /// Default 29010.</summary>
    public int? Port { get; set; }
}

public enum InterconnectType
{
    Lan,
    Witness,
    Bmc,
}

/// <summary>One network-partition resolver. Resolution only restricts: it can stop a server, never
/// authorise an activation the controller did not place.</summary>
public sealed class NpResolverSpec
{
    public string Name { get; set; } = "";

    public NpResolverType Type { get; set; }

    /// <summary>For <see cref="NpResolverType.Ping"/>: the addresses to ping; no reply from all = isolated.</summary>
    public List<string>? Targets { get; set; }

    /// <summary>For <see cref="NpResolverType.Http"/>: the always-on URL to send HEAD to.</summary>
    public string? Url { get; set; }

    /// <summary>For <see cref="NpResolverType.Disk"/>: the absolute path of the heartbeat area every server
    /// it applies to reaches (a block device or partition of the shared disk, or a file on a shared file
    /// system); 64 slots of 512 bytes (32 KiB). A regular file is created or extended as needed.</summary>
    public string? Path { get; set; }

    /// <summary>For <see cref="NpResolverType.Com"/>: the serial device (absolute path, e.g.
    /// <c>/dev/ttyS0</c>) of both servers; a server that names its own in <c>spec.npDevices</c> uses that.
    /// CLP opens it raw and leaves its speed as configured (set both ends alike, e.g. with stty).</summary>
    public string? Device { get; set; }

    /// <summary>For Ping and Http: how often the check runs. Disk and Com exchange their heartbeats every
    /// heartbeat interval instead (as CLUSTERPRO's disk and COM heartbeats do), so it is not used for them.</summary>
    public int IntervalSeconds { get; set; } = 5;

    /// <summary>For Ping and Http: how long the check may take. For Disk and Com: how long one exchange on
    /// the medium (write and flush, read) may take before this server's own check fails.</summary>
    public int TimeoutSeconds { get; set; } = 3;

    /// <summary>Servers this resolver runs on; empty = all.</summary>
    public List<string>? Servers { get; set; }
}

public enum NpResolverType
{
    Ping,
    Http,
    Majority,
    Disk,
    Com,
}

public sealed class ClusterStatus : ObjectStatus
{
    /// <summary>Stopped, Starting, Running or Suspended, written by the
    /// controller. A new cluster is Starting as soon as the controller sees it, then Running once its
    /// servers joined or the startup sync wait is over.</summary>
    public ClusterPhase? Phase { get; set; }

    /// <summary>When <see cref="Phase"/> last changed (the controller's wall clock; informational).</summary>
    public DateTimeOffset? PhaseTime { get; set; }

    /// <summary>Servers stopped by a ServerStop operation (they left the cluster: their groups move away
    /// and they receive none) until a ServerReturn.</summary>
    public List<string>? LeftServers { get; set; }

    /// <summary>Servers going down for a shutdown or reboot operation, with the agent incarnation that was
    /// told to: they stay out of placement until that incarnation is gone (its lease revoked or replaced
    /// by a new incarnation's), then return on their own.</summary>
    public Dictionary<string, long>? PoweringDown { get; set; }

    /// <summary>Set by a cluster reboot: the cluster starts again (startup sync wait) once every server that
    /// went down for it has returned.</summary>
    public bool? StartWhenBack { get; set; }

    /// <summary>A temporary multiplier of the heartbeat timeout, set by an operation, and when it ends.</summary>
    public TimeoutRatioStatus? TimeoutRatio { get; set; }
}

/// <summary>The cluster's lifecycle as the controller sees it (<see cref="ClusterStatus.Phase"/>).</summary>
public enum ClusterPhase
{
    /// <summary>Stopped: every group is unplaced; only stop requests are answered.</summary>
    Stopped,

    /// <summary>A cluster start is in progress: groups with automatic startup wait for the startup sync
    /// (every server joined, or the sync wait elapsed), then start together; the decision that starts
    /// them reports <c>PlacementResult.StartupComplete</c> so the caller moves to
    /// <see cref="Running"/> in the same write.</summary>
    Starting,

    /// <summary>Started: failover, failback, moves, and placement of groups that still want to run.</summary>
    Running,

    /// <summary>Suspended (DESIGN rule 8): resources keep running and nothing fails over; only manual
    /// stops change placements.</summary>
    Suspended,
}

public sealed class TimeoutRatioStatus
{
    public int Ratio { get; set; } = 1;

    /// <summary>When the ratio ends (wall clock, informational): the controller times the end as a
    /// duration on its own monotonic clock from when it applied the ratio.</summary>
    public DateTimeOffset? Until { get; set; }
}
