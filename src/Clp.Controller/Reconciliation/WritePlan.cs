using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Reconciliation;

/// <summary>The writes one reconcile decided, executed together in its transaction: lease revocations,
/// group placements, the cluster's status, operation statuses and events.</summary>
internal sealed class WritePlan(string clusterKey, DateTimeOffset wallNow)
{
    private readonly List<(Loaded<Lease> Lease, LeaseStatus Status)> _leases = [];
    private readonly Dictionary<string, (Loaded<Group> Group, GroupStatus Status)> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, OperationChange> _operations = new(StringComparer.Ordinal);
    private readonly List<(int Id, EventSeverity Severity, string Message, ObjectReference About, string? Server)> _events = [];
    private (Loaded<Cluster> Cluster, ClusterStatus Status)? _cluster;

    public int Count => _leases.Count + _groups.Count + _operations.Count + _events.Count + (_cluster is null ? 0 : 1);

    public void Revoke(Loaded<Lease> lease, LeaseStatus status) => _leases.Add((lease, status));

    public void SetGroup(Loaded<Group> group, GroupStatus status) => _groups[group.Name] = (group, status);

    public void SetCluster(Loaded<Cluster> cluster, ClusterStatus status) => _cluster = (cluster, status);

    public void Event(int id, EventSeverity severity, string message, ObjectReference about, string? server = null) =>
        _events.Add((id, severity, message, about, server));

    /// <summary>The operation's latest decided status in this pass, if any.</summary>
    public OperationChange? OperationChangeOf(string name) => _operations.GetValueOrDefault(name);

    public void SetOperation(OperationChange change) => _operations[change.Operation.Name] = change;

    public async Task ExecuteAsync(IStoreTransaction tx)
    {
        foreach (var (lease, status) in _leases)
        {
            lease.Value.Status = status;
            await tx.UpdateAsync(Key(Kinds.Lease, lease.Name), lease.Value.ToJson(), lease.Version, specChanged: false);
        }

        foreach (var (group, status) in _groups.Values)
        {
            group.Value.Status = status;
            await tx.UpdateAsync(Key(Kinds.Group, group.Name), group.Value.ToJson(), group.Version, specChanged: false);
        }

        if (_cluster is { } cluster)
        {
            cluster.Cluster.Value.Status = cluster.Status;
            await tx.UpdateAsync(new ObjectKey(Kinds.Cluster.Kind, "", clusterKey), cluster.Cluster.Value.ToJson(), cluster.Cluster.Version, specChanged: false);
        }

        foreach (var change in _operations.Values)
        {
            await WriteOperationAsync(tx, change);
        }

        foreach (var (id, severity, message, about, server) in _events)
        {
            await ControllerEvents.CreateAsync(tx, clusterKey, wallNow, id, severity, message, about, server);
        }
    }

    /// <summary>Writes an operation's status; a Pending operation that finishes in one pass is written
    /// Running first, so its history shows the whole lifecycle.</summary>
    private async Task WriteOperationAsync(IStoreTransaction tx, OperationChange change)
    {
        var operation = change.Operation.Value;
        var key = Key(Kinds.Operation, change.Operation.Name);
        var version = change.Operation.Version;
        var was = operation.Status?.Phase ?? OperationPhase.Pending;
        var startedAt = operation.Status?.StartedAt ?? wallNow;
        if (was == OperationPhase.Pending && change.Phase is OperationPhase.Succeeded or OperationPhase.Failed)
        {
            operation.Status = Status(operation, OperationPhase.Running, "Started", "started", startedAt, null);
            version = (await tx.UpdateAsync(key, operation.ToJson(), version, specChanged: false)).ResourceVersion;
        }

        var done = change.Phase is OperationPhase.Succeeded or OperationPhase.Failed;
        operation.Status = Status(operation, change.Phase, change.Reason, change.Message, startedAt, done ? wallNow : null);
        await tx.UpdateAsync(key, operation.ToJson(), version, specChanged: false);
    }

    private OperationStatus Status(Operation operation, OperationPhase phase, string reason, string message, DateTimeOffset startedAt, DateTimeOffset? completedAt)
    {
        var conditionStatus = phase switch
        {
            OperationPhase.Succeeded => ConditionStatus.True,
            OperationPhase.Failed => ConditionStatus.False,
            _ => ConditionStatus.Unknown,
        };
        var previous = operation.Status?.Conditions?.FirstOrDefault(c => c.Type == OperationChange.ConditionType);
        return new OperationStatus
        {
            Phase = phase,
            Message = message,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            ObservedGeneration = operation.Metadata.Generation,
            Conditions =
            [
                new Condition
                {
                    Type = OperationChange.ConditionType,
                    Status = conditionStatus,
                    Reason = reason,
                    Message = message,
                    ObservedGeneration = operation.Metadata.Generation,
                    LastTransitionTime = previous is not null && previous.Status == conditionStatus ? previous.LastTransitionTime : wallNow,
                },
            ],
        };
    }

    private ObjectKey Key(KindInfo kind, string name) => new(kind.Kind, clusterKey, name);
}

/// <summary>An operation's new status: phase, CamelCase reason and a message.</summary>
internal sealed record OperationChange(Loaded<Operation> Operation, OperationPhase Phase, string Reason, string Message)
{
    /// <summary>The condition every controller-owned operation carries: True once it succeeded, False
    /// once it failed, Unknown while it runs.</summary>
    public const string ConditionType = "Succeeded";

    public bool IsFinal => Phase is OperationPhase.Succeeded or OperationPhase.Failed;
}
