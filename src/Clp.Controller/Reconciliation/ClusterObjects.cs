using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Controller.Reconciliation;

/// <summary>Everything one cluster's reconcile reads, from one serializable transaction.</summary>
internal sealed class ClusterObjects
{
    public required Loaded<Cluster> Cluster { get; init; }

    /// <summary>By priority, then name.</summary>
    public required IReadOnlyList<Loaded<Server>> Servers { get; init; }

    public required IReadOnlyList<ServerGroup> ServerGroups { get; init; }

    public required IReadOnlyList<Loaded<Group>> Groups { get; init; }

    /// <summary>Node leases by server name (case-insensitive).</summary>
    public required IReadOnlyDictionary<string, Loaded<Lease>> Leases { get; init; }

    /// <summary>Loaded only while an agent-owned operation is open (empty otherwise).</summary>
    public required IReadOnlyList<Resource> Resources { get; init; }

    /// <summary>Loaded only while an agent-owned operation is open (empty otherwise).</summary>
    public required IReadOnlyList<Monitor> Monitors { get; init; }

    /// <summary>Pending and Running operations, oldest first.</summary>
    public required IReadOnlyList<Loaded<Operation>> Operations { get; init; }

    public Server? FindServer(string? name) =>
        name is null ? null : Servers.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public Loaded<Group>? FindGroup(string? name) =>
        name is null ? null : Groups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the cluster does not exist (any more).</summary>
    public static async Task<ClusterObjects?> LoadAsync(IStoreTransaction tx, string clusterKey)
    {
        var cluster = await tx.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", clusterKey));
        if (cluster is null)
        {
            return null;
        }

        var servers = await LoadAllAsync<Server>(tx, Kinds.Server, clusterKey);
        var leases = await LoadAllAsync<Lease>(tx, Kinds.Lease, clusterKey);
        var operations = await LoadAllAsync<Operation>(tx, Kinds.Operation, clusterKey);

        // Resources and monitors are read only while an agent-owned operation is open (the only reader), so
        // an ordinary pass stays as cheap as before.
        var agentWork = operations.Any(o => ReconcilePass.AgentVerbs.Contains(o.Value.Spec.Verb)
                                            && o.Value.Status?.Phase is null or OperationPhase.Pending or OperationPhase.Running);
        return new ClusterObjects
        {
            Cluster = new(cluster.As<Cluster>(), cluster.ResourceVersion),
            Servers = [.. servers.OrderBy(s => s.Value.Spec.Priority).ThenBy(s => s.Name, StringComparer.Ordinal)],
            ServerGroups = [.. (await LoadAllAsync<ServerGroup>(tx, Kinds.ServerGroup, clusterKey)).Select(l => l.Value)],
            Groups = await LoadAllAsync<Group>(tx, Kinds.Group, clusterKey),
            Leases = leases.ToDictionary(l => l.Name, StringComparer.OrdinalIgnoreCase),
            Resources = agentWork ? [.. (await LoadAllAsync<Resource>(tx, Kinds.Resource, clusterKey)).Select(l => l.Value)] : [],
            Monitors = agentWork ? [.. (await LoadAllAsync<Monitor>(tx, Kinds.Monitor, clusterKey)).Select(l => l.Value)] : [],
            Operations = [.. operations
                .Where(o => o.Value.Status?.Phase is null or OperationPhase.Pending or OperationPhase.Running)
                .OrderBy(o => o.Value.Metadata.CreationTimestamp)
                .ThenBy(o => o.Name, StringComparer.Ordinal)],
        };
    }

    private static async Task<IReadOnlyList<Loaded<T>>> LoadAllAsync<T>(IStoreTransaction tx, KindInfo kind, string clusterKey)
        where T : ClpObject =>
        [.. (await tx.ListAsync(kind.Kind, clusterKey)).Select(s => new Loaded<T>(s.As<T>(), s.ResourceVersion))];
}
