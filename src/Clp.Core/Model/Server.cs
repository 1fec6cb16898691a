namespace Clp.Core.Model;

/// <summary>A server (node). The server with the lowest priority number is the master server.</summary>
public sealed class Server : ClpObject<ServerSpec, ServerStatus>
{
}

public sealed class ServerSpec
{
    public string? Description { get; set; }

    /// <summary>Lower first; unique in the cluster. The first server is the master.</summary>
    public int Priority { get; set; }

    /// <summary>The server's address on the public LAN.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>The server's address on each interconnect it is on.</summary>
    public List<ServerInterconnectAddress> Interconnects { get; set; } = [];

    public string? MirrorConnectAddress { get; set; }

    public string? BmcAddress { get; set; }

    /// <summary>This server's own device for a Com NP resolver, where it differs from the resolver's
    /// <c>device</c> (e.g. <c>/dev/ttyS1</c> here, <c>/dev/ttyUSB0</c> on the other end).</summary>
    public List<ServerNpDevice>? NpDevices { get; set; }
}

public sealed class ServerNpDevice
{
    /// <summary>A Com NP resolver name of the cluster.</summary>
    public string Resolver { get; set; } = "";

    /// <summary>The serial device's absolute path on this server.</summary>
    public string Device { get; set; } = "";
}

public sealed class ServerInterconnectAddress
{
    /// <summary>An interconnect name of the cluster.</summary>
    public string Interconnect { get; set; } = "";

    public string Address { get; set; } = "";
}

/// <summary>Observed by the server's own agent (only it writes here, so agents never contend).</summary>
public sealed class ServerStatus : ObjectStatus
{
    /// <summary>Online once the agent reports (CLUSTERPRO status words).</summary>
    public ObjectState? Phase { get; set; }

    /// <summary>The incarnation of the agent that wrote this status.</summary>
    public long? Incarnation { get; set; }

    /// <summary>Each resource's state on this server, by resource name.</summary>
    public Dictionary<string, ObjectStateOnServer>? Resources { get; set; }

    /// <summary>Each monitor's state on this server, by monitor name.</summary>
    public Dictionary<string, ObjectStateOnServer>? Monitors { get; set; }

    /// <summary>Each group's state on this server with the epoch it acted under, by group name.</summary>
    public Dictionary<string, ObjectStateOnServer>? Groups { get; set; }

    /// <summary>The progress of the operations this server's agent carries out (resource start and stop,
    /// monitor suspend and resume, failure verification, shutdown and reboot), by operation name: state
    /// Running, Succeeded or Failed, the message in <c>lastError</c>. The controller copies it into the
    /// Operation's status.</summary>
    public Dictionary<string, ObjectStateOnServer>? Operations { get; set; }

    /// <summary>What this server cannot run, as its agent found at start. Absent until the agent reported;
    /// validation refuses resources of an unsupported type in groups that may run here.</summary>
    public ServerCapabilities? Capabilities { get; set; }

    /// <summary>The last fence this server's agent process completed (DESIGN rule 3), absent when it has not
    /// fenced since it started. A fence releases every resource of the server because its lease could no
    /// longer be trusted; <c>leaseAgeMs</c> must not pass <c>heartbeatTimeoutMs</c>.</summary>
    public FenceReport? LastFence { get; set; }

    /// <summary>LAN heartbeat status by interconnect name, as this server's agent receives it.</summary>
    public Dictionary<string, InterconnectHeartbeatStatus>? Heartbeats { get; set; }

    /// <summary>What this server's agent observes for network-partition resolution.</summary>
    public PartitionObservation? Partition { get; set; }
}

/// <summary>One interconnect's LAN heartbeats as one server receives them.</summary>
public sealed class InterconnectHeartbeatStatus
{
    /// <summary>Normal (every peer heard within the heartbeat timeout), Caution (some) or Error (none).</summary>
    public HeartbeatState State { get; set; } = HeartbeatState.Unknown;

    /// <summary>Each peer's state on this interconnect: Normal (heard) or Error (not heard).</summary>
    public Dictionary<string, HeartbeatState> Peers { get; set; } = [];

    /// <summary>Datagrams ignored because their MAC did not verify (forged or corrupt), since the agent started.</summary>
    public long Forged { get; set; }

    /// <summary>Datagrams ignored because they were not newer than the last accepted from their sender (replayed).</summary>
    public long Replayed { get; set; }
}

/// <summary>A server's observations for network-partition resolution (docs/partition-safety.md).</summary>
public sealed class PartitionObservation
{
    /// <summary>The servers this server and they hear each other on some interconnect (its side, itself excluded).</summary>
    public List<string> Hears { get; set; } = [];

    /// <summary>Restriction resolvers (Ping, Http, own disk write, serial device) by name: passed or not.</summary>
    public Dictionary<string, bool>? Checks { get; set; }

    /// <summary>Disk resolvers by name: the servers seen alive on the heartbeat area.</summary>
    public Dictionary<string, List<string>>? AliveOnDisk { get; set; }

    /// <summary>Com resolvers by name: whether both ends of the serial line hear each other.</summary>
    public Dictionary<string, bool>? ComLineUp { get; set; }

    /// <summary>Set while this server's lease has run out and it keeps its resources running because its
    /// side survives NP resolution without the API (it cannot write this while it lasts: it shows after).</summary>
    public string? LastDeferral { get; set; }
}

/// <summary>When and how a server's agent fenced itself, as it recorded it.</summary>
public sealed class FenceReport
{
    /// <summary>Why: no renewal succeeded for too long, the lease was revoked, or the agent was leaving.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The incarnation whose lease ended with this fence.</summary>
    public long Incarnation { get; set; }

    /// <summary>When the fence completed, on the server's wall clock.</summary>
    public DateTimeOffset CompletedAt { get; set; }

    /// <summary>The lease age when every resource had been released (measured from when the last successful
    /// renewal was sent, on the server's monotonic clock); absent when no renewal had succeeded.</summary>
    public long? LeaseAgeMs { get; set; }

    /// <summary>The heartbeat timeout T the lease was held under; the fence must complete by this age.</summary>
    public long HeartbeatTimeoutMs { get; set; }

    /// <summary>The fence budget F it ran with.</summary>
    public long BudgetMs { get; set; }

    /// <summary>The cluster's <c>isolationAction</c> that followed this fence, when it was an isolation fence
    /// (the lease ran out without a deferral); absent for any other fence (revoked while the API answered,
    /// the fence guard's release, a graceful stop), which no action follows.</summary>
    public IsolationAction? IsolationAction { get; set; }
}

/// <summary>The limits of one server, reported by its agent (e.g. no systemd as PID 1).</summary>
public sealed class ServerCapabilities
{
    /// <summary>Resource types this server cannot run, by catalog type name (e.g. <c>service</c>), with the
    /// reason (e.g. "service resources need systemd as PID 1; this server runs tini"). Absent or empty:
    /// nothing reported unsupported.</summary>
    public Dictionary<string, string>? UnsupportedTypes { get; set; }
}

/// <summary>The state of one resource, monitor or group on one server.</summary>
public sealed class ObjectStateOnServer
{
    /// <summary>Online, Offline, Online Pending, Offline Pending, Online Failure, Offline Failure (resources,
    /// groups); Normal, Caution, Error, Suspend, Unused (monitors); Running, Succeeded, Failed (operations);
    /// Unknown.</summary>
    public ObjectState State { get; set; } = ObjectState.Unknown;

    public string? LastError { get; set; }

    public long? Epoch { get; set; }

    public DateTimeOffset? Since { get; set; }

    /// <summary>For a group in "Online Failure": what the agent asks the controller to do at this epoch,
    /// <c>Failover</c> (the default: a recovery failover) or <c>Stop</c> (a monitor's final action "stop
    /// the group").</summary>
    public GroupRequest? Request { get; set; }
}
