using Clp.Core.Model;

namespace Clp.Policy.Placement;

/// <summary>The servers of one decision: priority order, merged liveness, and each group's candidate
/// order.</summary>
internal sealed class ServerTable
{
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _serverGroups = new(StringComparer.OrdinalIgnoreCase);

    public ServerTable(IEnumerable<ServerState> servers, IEnumerable<ServerGroupMembers> serverGroups)
    {
        foreach (var server in servers)
        {
            // Conflicting entries for one name merge towards safety: eligible only if all agree, down
            // only if all agree (a server that may be alive keeps its groups until they drain).
            _byName[server.Name] = _byName.TryGetValue(server.Name, out var seen)
                ? new(seen.Name, Math.Min(seen.Priority, server.Priority), seen.AllUp && server.Liveness == ServerLiveness.Up,
                    seen.AllDown && server.Liveness == ServerLiveness.Down, seen.AnyLeft || server.Liveness == ServerLiveness.Left,
                    seen.Joined && server.Joined)
                : new(server.Name, server.Priority, server.Liveness == ServerLiveness.Up, server.Liveness == ServerLiveness.Down,
                    server.Liveness == ServerLiveness.Left, server.Joined);
        }

        ByPriority = [.. _byName.Values.OrderBy(e => e.Priority).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Name)];
        foreach (var group in serverGroups)
        {
            _serverGroups.TryAdd(group.Name, [.. group.Servers]);
        }
    }

    public IReadOnlyList<string> ByPriority { get; }

    public int Count => _byName.Count;

    /// <summary>The name as the server list spells it, or null if unknown.</summary>
    public string? Canonical(string name) => _byName.TryGetValue(name, out var e) ? e.Name : null;

    /// <summary>Up and joined: may receive a group.</summary>
    public bool IsEligible(string name) => _byName.TryGetValue(name, out var e) && e.AllUp && e.Joined;

    /// <summary>Judged down: its lease is revoked and nothing runs there. Unknown servers are not
    /// down: nothing proves they stopped.</summary>
    public bool IsDown(string name) => _byName.TryGetValue(name, out var e) && e.AllDown;

    /// <summary>Joined, neither up nor down nor left: silent without a quorum to judge it down, or failing an
    /// NP restriction. Its groups stay (a drain from it could not complete and nothing proves it stopped).</summary>
    public bool IsIsolated(string name) => _byName.TryGetValue(name, out var e) && !e.AllUp && !e.AllDown && !e.AnyLeft && e.Joined;

    public bool IsLeft(string name) => _byName.TryGetValue(name, out var e) && !e.AllDown && e.AnyLeft;

    /// <summary>The group's drain is over: its old server reported it Offline for the current epoch,
    /// or was judged down (its lease is revoked, so it has fenced). True without a drain.</summary>
    public bool Released(GroupState group) =>
        group.Drain is not { } drain || group.DrainedOffline || IsDown(drain.From);

    /// <summary>The startup sync needs every server that has not left to have joined.</summary>
    public bool AllJoined => _byName.Values.Where(e => !e.AnyLeft).All(e => e.Joined);

    /// <summary>The group's servers in failover order, known servers only, each once.</summary>
    public IReadOnlyList<string> CandidatesFor(GroupSpec spec)
    {
        var policy = spec.FailoverPolicy ?? new FailoverPolicy();
        IEnumerable<string> names = policy.Kind switch
        {
            FailoverPolicyKind.Servers => policy.Servers ?? [],
            FailoverPolicyKind.ServerGroups => (policy.ServerGroups ?? [])
                .SelectMany(g => _serverGroups.TryGetValue(g, out var members) ? members : []),
            _ => ByPriority,
        };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. names.Select(Canonical).OfType<string>().Where(seen.Add)];
    }

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private sealed record Entry(string Name, int Priority, bool AllUp, bool AllDown, bool AnyLeft, bool Joined);
}
