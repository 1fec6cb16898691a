using Clp.Core.Model;
using Clp.Core.Store;
using Clp.Core.Validation;

namespace Clp.Api.Objects;

/// <summary>What a write does to related objects: auto-created monitors, cascades, dependents and
/// idempotent operations.</summary>
public sealed partial class ObjectService
{
    private async Task CreateAutoMonitorsAsync(IStoreTransaction tx, string cluster, ClpObject created, ClusterSnapshot snapshot, CreateOptions options)
    {
        if (!options.AutoMonitors)
        {
            return;
        }

        var (monitors, monitorCluster) = created switch
        {
            Resource resource => (AutoMonitors.For(resource, Catalog, snapshot.Monitors.ContainsKey), cluster),
            Cluster => (AutoMonitors.ForCluster(Catalog), created.Metadata.Name),
            _ => ([], cluster),
        };
        var after = snapshot.With(created);
        foreach (var monitor in monitors)
        {
            var key = KeyOf(Kinds.Monitor, monitorCluster, monitor.Metadata.Name);
            if (await tx.GetAsync(key) is not null)
            {
                LogAutoMonitorSkipped(monitor.Metadata.Name, created.Metadata.Name);
                continue;
            }

            var errors = validator.Validate(monitor, after);
            if (errors.Count > 0)
            {
                // The catalog made this monitor: an error here is CLP's bug, but the user's request is what
                // fails, with the rule named, rather than a half-created resource.
                throw ApiProblemException.Validation(errors.Select(e => e with { Field = $"(auto monitor {monitor.Metadata.Name}) {e.Field}" }).ToList());
            }

            await tx.CreateAsync(key, monitor.ToJson());
            after = after.With(monitor);
        }
    }

    private async Task DeleteOwnedAsync(IStoreTransaction tx, KindInfo kind, string cluster, ClpObject target)
    {
        var snapshot = await SnapshotLoader.LoadAsync(tx, cluster);
        var owned = target is Resource
            ? snapshot.Monitors.Values.Where(m => AutoMonitors.IsOwnedBy(m, target.Metadata.Name)).ToList()
            : [];
        var ownedNames = owned.Select(m => m.Metadata.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dependents = Dependents.Of(kind, target.Metadata.Name, snapshot)
            .Where(d => !ownedNames.Any(n => d.StartsWith($"Monitor '{n}'", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (dependents.Count > 0)
        {
            throw new ApiProblemException(409, Core.Problems.ProblemTypes.HasDependents, "Other objects depend on it",
                $"{kind.Kind} '{target.Metadata.Name}' is still named by {string.Join(", ", dependents)}; change or delete those first")
            {
                Dependents = dependents,
            };
        }

        foreach (var monitor in owned)
        {
            await tx.DeleteAsync(KeyOf(Kinds.Monitor, cluster, monitor.Metadata.Name), null);
        }

        // A server's node lease goes with it (nothing else names a lease; its agent's renewals get 409).
        if (target is Server && await tx.GetAsync(KeyOf(Kinds.Lease, cluster, target.Metadata.Name)) is not null)
        {
            await tx.DeleteAsync(KeyOf(Kinds.Lease, cluster, target.Metadata.Name), null);
        }
    }

    /// <summary>A cluster goes only when no configuration is left in it (servers, groups, resources,
    /// monitors other than its own auto-created ones, licenses); what remains (operations, events, leases,
    /// keys, auto monitors) goes with it.</summary>
    private static async Task DeleteClusterContentsAsync(IStoreTransaction tx, string cluster)
    {
        var configurationKinds = new[] { Kinds.Server, Kinds.ServerGroup, Kinds.Group, Kinds.Resource, Kinds.License };
        var left = new List<string>();
        foreach (var kind in configurationKinds)
        {
            var count = (await tx.ListAsync(kind.Kind, cluster)).Count;
            if (count > 0)
            {
                left.Add($"{count} {kind.Plural}");
            }
        }

        var monitors = (await tx.ListAsync(Kinds.Monitor.Kind, cluster)).Select(m => m.ToObject<Monitor>()).ToList();
        var userMonitors = monitors.Count(m => !AutoMonitors.IsOwnedBy(m, AutoMonitors.ClusterOwner));
        if (userMonitors > 0)
        {
            left.Add($"{userMonitors} monitors");
        }

        if (left.Count > 0)
        {
            throw new ApiProblemException(409, Core.Problems.ProblemTypes.HasDependents, "The cluster is not empty",
                $"cluster '{cluster}' still holds {string.Join(", ", left)}; delete them first")
            {
                Dependents = left,
            };
        }

        foreach (var kind in Kinds.All.Where(k => !k.TopLevel))
        {
            foreach (var child in await tx.ListAsync(kind.Kind, cluster))
            {
                await tx.DeleteAsync(child.Key, null);
            }
        }
    }

    private static async Task<ClpObject?> FindByClientRequestIdAsync(IStoreTransaction tx, string cluster, Operation candidate)
    {
        if (string.IsNullOrEmpty(candidate.Spec.ClientRequestId))
        {
            return null;
        }

        var existing = (await tx.ListAsync(Kinds.Operation.Kind, cluster))
            .Select(o => o.ToObject<Operation>())
            .FirstOrDefault(o => o.Spec.ClientRequestId == candidate.Spec.ClientRequestId);
        if (existing is null)
        {
            return null;
        }

        if (existing.Spec.Verb != candidate.Spec.Verb
            || !string.Equals(existing.Spec.Target.Kind, candidate.Spec.Target.Kind, StringComparison.Ordinal)
            || !string.Equals(existing.Spec.Target.Name, candidate.Spec.Target.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(409, Core.Problems.ProblemTypes.Conflict, "Client request id reused",
                $"spec.clientRequestId '{candidate.Spec.ClientRequestId}' was used by operation '{existing.Metadata.Name}' for {existing.Spec.Verb} of {existing.Spec.Target.Kind} '{existing.Spec.Target.Name}'");
        }

        return existing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto monitor {Monitor} for {Owner} not created: the name is taken")]
    private partial void LogAutoMonitorSkipped(string monitor, string owner);
}
