using Clp.Core.Model;
using Clp.Core.Store;
using Clp.Core.Validation;

namespace Clp.Api.Objects;

/// <summary>Reads a cluster's configuration inside a write transaction, for validation and dependents.</summary>
internal static class SnapshotLoader
{
    public static async Task<ClusterSnapshot> LoadAsync(IStoreTransaction tx, string cluster, bool configuration = true)
    {
        var clusterObject = (await tx.GetAsync(new ObjectKey(Kinds.Cluster.Kind, "", cluster)))?.ToObject<Cluster>();
        if (!configuration || clusterObject is null)
        {
            return new ClusterSnapshot(clusterObject, [], [], [], [], []);
        }

        return new ClusterSnapshot(
            clusterObject,
            await ListAsync<Server>(tx, Kinds.Server, cluster),
            await ListAsync<ServerGroup>(tx, Kinds.ServerGroup, cluster),
            await ListAsync<Group>(tx, Kinds.Group, cluster),
            await ListAsync<Resource>(tx, Kinds.Resource, cluster),
            await ListAsync<Monitor>(tx, Kinds.Monitor, cluster),
            await ListAsync<License>(tx, Kinds.License, cluster),
            await ListAsync<ApiKey>(tx, Kinds.ApiKey, cluster));
    }

    private static async Task<IEnumerable<T>> ListAsync<T>(IStoreTransaction tx, KindInfo kind, string cluster)
        where T : ClpObject =>
        (await tx.ListAsync(kind.Kind, cluster)).Select(o => o.ToObject<T>());
}
