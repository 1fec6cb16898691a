using System.Collections.Immutable;
using Clp.Core.Model;

namespace Clp.Policy.Placement;

/// <summary>How many failovers each group has used, per server or for the whole cluster (the cluster's
/// <c>failoverCountUnit</c>). Immutable: the caller persists the value it gets back.</summary>
/// <remarks>A failover is allowed while the count is below the group's threshold. A decision that
/// fails a group over names its <see cref="FailoverCountKey"/> in <c>Charge</c>; the caller applies it
/// with <see cref="Charged"/> in the same write. Counts are kept until the operator resets them or the
/// cluster starts again (CLUSTERPRO resets them at cluster start); <see cref="Reset"/> does that.</remarks>
public sealed class FailoverCounts
{
    private readonly ImmutableDictionary<FailoverCountKey, int> _counts;

    public FailoverCounts(FailoverCountUnit unit, IEnumerable<KeyValuePair<FailoverCountKey, int>>? counts = null)
    {
        Unit = unit;
        _counts = ImmutableDictionary<FailoverCountKey, int>.Empty.AddRange(counts ?? []);
    }

    public FailoverCountUnit Unit { get; }

    public IReadOnlyDictionary<FailoverCountKey, int> Counts => _counts;

    /// <summary>The key a failover of <paramref name="group"/> away from <paramref name="fromServer"/>
    /// is counted against.</summary>
    public FailoverCountKey KeyFor(string group, string fromServer) =>
        new(group, Unit == FailoverCountUnit.Server ? fromServer : null);

    public int Of(string group, string fromServer) => _counts.GetValueOrDefault(KeyFor(group, fromServer));

    /// <summary>These counts with one more failover on <paramref name="key"/>.</summary>
    public FailoverCounts Charged(FailoverCountKey key) => new(Unit, _counts.SetItem(key, _counts.GetValueOrDefault(key) + 1));

    /// <summary>These counts without any of <paramref name="group"/>'s (operator reset).</summary>
    public FailoverCounts Reset(string group) =>
        new(Unit, _counts.Where(c => !string.Equals(c.Key.Group, group, StringComparison.OrdinalIgnoreCase)));
}
