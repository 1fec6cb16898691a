using Clp.Core.Model;
using Clp.Core.Store;

namespace Clp.Store.Sqlite.Internal;

/// <summary>The shape every written key must have: a kind and a name, Clusters at top level (cluster "").
/// Other kinds live in a cluster, except internal top-level kinds (system keys). Names are validated by
/// the API, not here.</summary>
internal static class KeyRules
{
    public static void Validate(ObjectKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key.Kind, "key.Kind");
        ArgumentException.ThrowIfNullOrEmpty(key.Name, "key.Name");
        ArgumentNullException.ThrowIfNull(key.Cluster, "key.Cluster");
        if (key.Kind == Kinds.Cluster.Kind && key.Cluster.Length != 0)
        {
            throw new ArgumentException($"A Cluster lives at top level: {key} must have an empty cluster.", nameof(key));
        }
    }
}
