namespace Clp.Core.Model;

/// <summary>A failover group: resources that start, stop and move together on exactly one server.</summary>
public sealed class Group : ClpObject<GroupSpec, GroupStatus>
{
}

public sealed class GroupSpec
{
    public string? Description { get; set; }

    /// <summary>The management group carries the management IP; at most one per cluster.</summary>
    public bool ManagementGroup { get; set; }

    public FailoverPolicy FailoverPolicy { get; set; } = new();

    /// <summary>Whether the group starts when the cluster starts. Default <see cref="StartupAttribute.Auto"/>.</summary>
    public StartupAttribute Startup { get; set; } = StartupAttribute.Auto;

    /// <summary>Whether the group returns to its highest-priority server when that comes back. Default
    /// <see cref="FailbackAttribute.Manual"/>; Auto is refused for a group holding mirror or hybrid disks.</summary>
    public FailbackAttribute Failback { get; set; } = FailbackAttribute.Manual;

    /// <summary>Failover-exclusive attribute. Default <see cref="ExclusiveAttribute.Off"/>.</summary>
    public ExclusiveAttribute Exclusive { get; set; } = ExclusiveAttribute.Off;
}

/// <summary>The startup servers: all servers, or an ordered list of servers or of server groups.</summary>
public sealed class FailoverPolicy
{
    public FailoverPolicyKind Kind { get; set; } = FailoverPolicyKind.AllServers;

    /// <summary>For <see cref="FailoverPolicyKind.Servers"/>: servers in failover order.</summary>
    public List<string>? Servers { get; set; }

    /// <summary>For <see cref="FailoverPolicyKind.ServerGroups"/>: server groups in failover order.</summary>
    public List<string>? ServerGroups { get; set; }
}

public enum FailoverPolicyKind
{
    /// <summary>Every server of the cluster, in server priority order.</summary>
    AllServers,
    Servers,
    ServerGroups,
}

public enum StartupAttribute
{
    Auto,
    Manual,
}

public enum FailbackAttribute
{
    Manual,
    Auto,
}

public enum ExclusiveAttribute
{
    Off,
    Normal,
    Absolute,
}

/// <summary>Placement, written by the controller only (DESIGN rule 6).</summary>
public sealed class GroupStatus : ObjectStatus
{
    /// <summary>The server the group is placed on, or null.</summary>
    public string? CurrentServer { get; set; }

    /// <summary>Increases on every placement change and never goes back.</summary>
    public long Epoch { get; set; }

    /// <summary>The uid of the store that issued <see cref="Epoch"/>.</summary>
    public string? StoreUid { get; set; }

    /// <summary>Why the group is where it is (CamelCase).</summary>
    public string? Reason { get; set; }

    /// <summary>Online, Offline, Online Pending, ... as observed on the current server.</summary>
    public ObjectState? Phase { get; set; }

    /// <summary>The store resourceVersion last committed before the write that issued <see cref="Epoch"/>.
    /// An agent whose lease answer named epoch floor F acts under this placement only if
    /// <c>issuedAfter &gt; F</c> (DESIGN rule 6: the epoch was issued after its incarnation joined).</summary>
    public long? IssuedAfter { get; set; }

    /// <summary>Phase one of a placement change away from a server that may still run the group: the
    /// group is placed nowhere until <see cref="GroupDrain.From"/> reports it Offline for
    /// <see cref="Epoch"/> or is judged down. Kept until the next placement replaces it.</summary>
    public GroupDrain? Drain { get; set; }

    /// <summary>Failovers used, per server failed over from (or one entry without a server for the
    /// cluster count unit); reset when the cluster starts.</summary>
    public List<FailoverCount>? FailoverCounts { get; set; }
}

/// <summary>A pending placement change: what the controller waits for before it places the group again.</summary>
public sealed class GroupDrain
{
    /// <summary>The server releasing the group; it reports the group Offline for the group's epoch.</summary>
    public string From { get; set; } = "";

    /// <summary>Where the group goes once released; null for a stop.</summary>
    public string? Target { get; set; }

    /// <summary>The Operation that began the change, completed by the phase-two placement.</summary>
    public string? RequestId { get; set; }
}

/// <summary>One failover count of a group.</summary>
public sealed class FailoverCount
{
    /// <summary>The server the group failed over from; null when the cluster counts per cluster.</summary>
    public string? Server { get; set; }

    public int Count { get; set; }
}
