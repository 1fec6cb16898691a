using System.Text.Json.Nodes;

namespace Clp.Core.Model;

/// <summary>An operator's request (start, stop, move, ...) as an object with a visible lifecycle;
/// creating one twice with the same client request id returns the first.</summary>
public sealed class Operation : ClpObject<OperationSpec, OperationStatus>
{
}

public sealed class OperationSpec
{
    public OperationVerb Verb { get; set; }

    /// <summary>The object acted on; the cluster itself for cluster verbs.</summary>
    public ObjectReference Target { get; set; } = new();

    /// <summary>Verb parameters, e.g. <c>{"server":"server2"}</c> for a move, <c>{"ratio":2,"durationSeconds":3600}</c>
    /// for a timeout ratio.</summary>
    public JsonObject? Parameters { get; set; }

    /// <summary>Client-chosen id that makes a retried create idempotent.</summary>
    public string? ClientRequestId { get; set; }
}

public enum OperationVerb
{
    ClusterStart,
    ClusterStop,
    ClusterSuspend,
    ClusterResume,
    ClusterShutdown,
    ClusterReboot,
    ServerStop,
    ServerReturn,
    ServerShutdown,
    ServerReboot,
    GroupStart,
    GroupStop,
    GroupMove,
    ResourceStart,
    ResourceStop,
    MonitorSuspend,
    MonitorResume,
    FailureVerification,
    TimeoutRatioSet,
    TimeoutRatioReset,
}

/// <summary>A reference to another object of the same cluster.</summary>
public sealed class ObjectReference
{
    /// <summary>Cluster, Server, Group, Resource or Monitor.</summary>
    public string Kind { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class OperationStatus : ObjectStatus
{
    public OperationPhase Phase { get; set; } = OperationPhase.Pending;

    public string? Message { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

public enum OperationPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,
}
