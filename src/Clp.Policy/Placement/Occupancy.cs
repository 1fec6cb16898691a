using Clp.Core.Model;

namespace Clp.Policy.Placement;

/// <summary>Which exclusive groups are (or will be) on each server, as decisions of one pass are made:
/// a group counts on its current server, on a server still releasing it, and on its pending target.</summary>
internal sealed class Occupancy
{
    private readonly Dictionary<string, Dictionary<string, ExclusiveAttribute>> _byServer = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _byGroup = new(StringComparer.OrdinalIgnoreCase);

    public static Occupancy From(IEnumerable<GroupState> groups, ServerTable servers)
    {
        var occupancy = new Occupancy();
        foreach (var group in groups)
        {
            var on = new List<string>();
            if (group.Current is { } current && !servers.IsDown(current))
            {
                on.Add(current);
            }
            else if (group.Current is null && group.Drain is { } drain)
            {
                if (!servers.Released(group))
                {
                    on.Add(drain.From);
                }

                if (drain.Target is { } target)
                {
                    on.Add(target);
                }
            }

            occupancy.Set(group.Name, group.Spec.Exclusive, on);
        }

        return occupancy;
    }

    /// <summary>Records where the group will be after <paramref name="decision"/>.</summary>
    public void Apply(GroupState group, PlacementDecision decision, ServerTable servers)
    {
        switch (decision)
        {
            case Place place:
                Set(group.Name, group.Spec.Exclusive, [place.Server]);
                break;
            case Unplace { Drain: { } drain }:
                Set(group.Name, group.Spec.Exclusive,
                    [.. new[] { servers.IsDown(drain.From) ? null : drain.From, drain.Target }.OfType<string>()]);
                break;
            case Unplace:
                Set(group.Name, group.Spec.Exclusive, []);
                break;
        }
    }

    /// <summary>Whether a group other than <paramref name="group"/> with the same non-Off exclusive
    /// attribute is on <paramref name="server"/>.</summary>
    public bool HasOther(string server, string group, ExclusiveAttribute attribute) =>
        attribute != ExclusiveAttribute.Off
        && _byServer.TryGetValue(server, out var there)
        && there.Any(g => g.Value == attribute && !ServerTable.Same(g.Key, group));

    /// <summary>Groups other than <paramref name="group"/> with <paramref name="attribute"/> on the server.</summary>
    public IEnumerable<string> Others(string server, string group, ExclusiveAttribute attribute) =>
        _byServer.TryGetValue(server, out var there)
            ? there.Where(g => g.Value == attribute && !ServerTable.Same(g.Key, group)).Select(g => g.Key)
            : [];

    private void Set(string group, ExclusiveAttribute attribute, IReadOnlyList<string> servers)
    {
        if (_byGroup.TryGetValue(group, out var before))
        {
            foreach (var server in before)
            {
                _byServer[server].Remove(group);
            }
        }

        _byGroup[group] = [.. servers];
        foreach (var server in servers)
        {
            if (!_byServer.TryGetValue(server, out var there))
            {
                _byServer[server] = there = new(StringComparer.OrdinalIgnoreCase);
            }

            there[group] = attribute;
        }
    }
}
