using Clp.Core.Model;

namespace Clp.Policy.Partitions;

/// <summary>A server as NP resolution sees it: its name and priority (lowest = master).</summary>
public sealed record NpServer(string Name, int Priority);

/// <summary>What one server observed for NP resolution, as it reports it (its own view, or carried in its
/// heartbeats and renewals).</summary>
public sealed record NpObservation
{
    public static NpObservation None { get; } = new();

    /// <summary>A server's reported observation in the policy's terms (none reported: nothing observed).</summary>
    public static NpObservation From(PartitionObservation? observation) => observation is null
        ? None
        : new NpObservation
        {
            Checks = observation.Checks ?? [],
            AliveOnDisk = (observation.AliveOnDisk ?? []).ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.ToHashSet(StringComparer.OrdinalIgnoreCase)),
            ComLineUp = observation.ComLineUp ?? [],
        };

    /// <summary>Restriction resolvers (Ping, Http, and the own-medium checks of Disk and Com), by resolver
    /// name: true when the check passed (a target answered, this server's disk write completed...). A
    /// resolver that applies to the server but is missing here counts as failed.</summary>
    public IReadOnlyDictionary<string, bool> Checks { get; init; } = new Dictionary<string, bool>();

    /// <summary>Disk resolvers, by name: the servers this server read as alive on the heartbeat area.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> AliveOnDisk { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>Com resolvers, by name: whether both ends of the serial line hear each other.</summary>
    public IReadOnlyDictionary<string, bool> ComLineUp { get; init; } = new Dictionary<string, bool>();
}

/// <summary>A side of a partition: the servers that decide together, and whether it holds the witness
/// (the API): the controller's side does (the settled live servers), a deferring agent's side does not.</summary>
public sealed record NpSide(IReadOnlySet<string> Members, bool HasWitness);

/// <summary>The outcome for one side.</summary>
public sealed record NpVerdict(bool Survives, string Reason)
{
    public static NpVerdict Lose(string reason) => new(false, reason);

    public static NpVerdict Survive(string reason) => new(true, reason);
}

/// <summary>Network-partition resolution as CLP decides it (docs/partition-safety.md, section 5): the
/// restrictions remove servers that failed a check, then every arbiter must pick this side. Sides are
/// disjoint and each arbiter gives its vote or its choice to at most one side, so at most one side of a
/// partition survives (DESIGN rule 9: "both sides fail over" never happens).</summary>
/// <remarks>Pure: the agent calls it for its own side without the witness when its lease has run out;
/// the controller calls it for the settled live servers with the witness before it fails a server
/// over. Inconsistent observations between sides (one side still sees what the other no longer does)
/// are the callers' business: the controller waits the settle time, the agents re-evaluate every
/// interval.</remarks>
public static class NpResolution
{
    /// <summary>Decides whether <paramref name="side"/> survives, given each member's observation.</summary>
    public static NpVerdict Decide(
        IReadOnlyList<NpServer> servers,
        IReadOnlyList<NpResolverSpec> resolvers,
        NpSide side,
        IReadOnlyDictionary<string, NpObservation> observations)
    {
        if (servers.Count == 0)
        {
            return NpVerdict.Lose("the cluster has no servers");
        }

        var master = servers.OrderBy(s => s.Priority).ThenBy(s => s.Name, StringComparer.Ordinal).First().Name;
        var counted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var failed = new List<string>();
        foreach (var member in side.Members)
        {
            var observation = observations.GetValueOrDefault(member) ?? NpObservation.None;
            var failedCheck = FailedRestriction(resolvers, member, observation.Checks);
            if (failedCheck is null)
            {
                counted.Add(member);
            }
            else
            {
                failed.Add($"{member} fails {failedCheck.Name}");
            }
        }

        var failedText = failed.Count == 0 ? "" : $" ({string.Join(", ", failed)})";
        if (counted.Count == 0 && !side.HasWitness)
        {
            return NpVerdict.Lose($"no member passes its checks{failedText}");
        }

        var reasons = new List<string>();
        var arbiters = resolvers.Where(r => r.Type is NpResolverType.Majority or NpResolverType.Disk or NpResolverType.Com).ToList();
        var decided = 0;
        foreach (var arbiter in arbiters)
        {
            var verdict = arbiter.Type switch
            {
                NpResolverType.Majority => Majority(servers.Count, master, counted),
                NpResolverType.Disk => Disk(servers, arbiter, counted, side, observations),
                _ => Com(master, arbiter, counted, side, observations),
            };
            if (verdict is null)
            {
                // The Com line is silent: the arbiter abstains (another arbiter, or else the witness quorum,
                // decides in its place).
                continue;
            }

            decided++;

            if (!verdict.Survives)
            {
                return NpVerdict.Lose($"{arbiter.Name}: {verdict.Reason}{failedText}");
            }

            reasons.Add($"{arbiter.Name}: {verdict.Reason}");
        }

        if (decided == 0)
        {
            var quorum = WitnessQuorum(servers.Count, master, counted, side.HasWitness);
            if (!quorum.Survives)
            {
                return NpVerdict.Lose($"witness quorum: {quorum.Reason}{failedText}");
            }

            reasons.Add($"witness quorum: {quorum.Reason}");
        }

        return NpVerdict.Survive(string.Join("; ", reasons) + failedText);
    }

    /// <summary>The first restriction resolver that applies to <paramref name="server"/> whose check in
    /// <paramref name="checks"/> did not pass (failed, or not reported), or null.</summary>
    public static NpResolverSpec? FailedRestriction(IEnumerable<NpResolverSpec> resolvers, string server, IReadOnlyDictionary<string, bool>? checks) =>
        resolvers.FirstOrDefault(r => IsRestriction(r) && AppliesTo(r, server) && checks?.GetValueOrDefault(r.Name) != true);

    /// <summary>Whether the resolver runs on <paramref name="server"/> (its list, or all when none).</summary>
    public static bool AppliesTo(NpResolverSpec resolver, string server) =>
        resolver.Servers is not { Count: > 0 } || resolver.Servers.Contains(server, StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolvers with a per-server check: Ping and Http, and the own-medium checks of Disk and Com.</summary>
    public static bool IsRestriction(NpResolverSpec resolver) => resolver.Type is not NpResolverType.Majority;

    /// <summary>Servers + the API: more than half of N + 1 votes, or exactly half with the master.</summary>
    private static NpVerdict WitnessQuorum(int n, string master, HashSet<string> counted, bool witness)
    {
        var votes = counted.Count + (witness ? 1 : 0);
        return Votes(votes, n + 1, counted.Contains(master), $"{votes} of {n + 1} votes{(witness ? " with the witness" : " without the witness")}");
    }

    /// <summary>Servers only: more than half of N, or exactly half with the master.</summary>
    private static NpVerdict Majority(int n, string master, HashSet<string> counted) =>
        Votes(counted.Count, n, counted.Contains(master), $"{counted.Count} of {n} servers");

    private static NpVerdict Votes(int votes, int total, bool hasMaster, string what) =>
        2 * votes > total ? NpVerdict.Survive($"{what}, more than half")
        : 2 * votes == total && hasMaster ? NpVerdict.Survive($"{what}, exactly half with the master")
        : NpVerdict.Lose(2 * votes == total ? $"{what}, exactly half without the master" : $"{what}, not more than half");

    /// <summary>The side holding the lowest-priority server alive on the heartbeat area survives. Every
    /// member's reading counts (a server any member saw alive is alive), which can only move the choice
    /// to a lower-priority server, away from this side: the cautious direction.</summary>
    private static NpVerdict Disk(IReadOnlyList<NpServer> servers, NpResolverSpec disk, HashSet<string> counted, NpSide side, IReadOnlyDictionary<string, NpObservation> observations)
    {
        var alive = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var readers = 0;
        foreach (var member in side.Members.Where(m => AppliesTo(disk, m)))
        {
            if (observations.GetValueOrDefault(member)?.AliveOnDisk.GetValueOrDefault(disk.Name) is { } seen)
            {
                readers++;
                alive.UnionWith(seen);
            }
        }

        if (readers == 0)
        {
            return NpVerdict.Lose("no member reads the heartbeat area");
        }

        var lowest = servers.Where(s => alive.Contains(s.Name) && AppliesTo(disk, s.Name))
            .OrderBy(s => s.Priority).ThenBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault();
        return lowest is null ? NpVerdict.Lose("nobody is alive on the heartbeat area")
            : counted.Contains(lowest.Name) ? NpVerdict.Survive($"{lowest.Name} is the first server alive on disk")
            : NpVerdict.Lose($"{lowest.Name}, the first server alive on disk, is not on this side");
    }

    /// <summary>While the serial line is up (both ends hear each other), the master's side survives; while
    /// it is silent: null (the arbiter abstains).</summary>
    private static NpVerdict? Com(string master, NpResolverSpec com, HashSet<string> counted, NpSide side, IReadOnlyDictionary<string, NpObservation> observations)
    {
        var up = side.Members.Any(m => AppliesTo(com, m) && observations.GetValueOrDefault(m)?.ComLineUp.GetValueOrDefault(com.Name) == true);
        if (!up)
        {
            return null;
        }

        return counted.Contains(master) ? NpVerdict.Survive($"the serial line is up and {master} (master) is on this side")
            : NpVerdict.Lose($"the serial line is up and {master} (master) is on the other end");
    }
}
