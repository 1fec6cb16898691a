namespace Clp.Core.Store;

/// <summary>Identifies one stored object. <see cref="Cluster"/> is empty for a Cluster. Names compare
/// case-insensitively (the store keys on the lower-case form).</summary>
public readonly record struct ObjectKey(string Kind, string Cluster, string Name)
{
    public override string ToString() => Cluster.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Cluster}/{Name}";
}
