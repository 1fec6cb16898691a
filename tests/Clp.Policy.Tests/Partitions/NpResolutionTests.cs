using Clp.Core.Model;
using Clp.Policy.Partitions;

namespace Clp.Policy.Tests.Partitions;

/// <summary>NP resolution decided from every side of every partition (docs/partition-safety.md, section
/// 5 and the table in section 8). Ground truth per scenario: which servers are dead, how the live ones
/// split into sides, which side (if any) reaches the API, which sides reach the ping target and the web
/// server, whose disk writes work, whether the serial line is up. Every side decides from what its own
/// members would observe; the sides must never both survive.</summary>
public class NpResolutionTests
{
    private static NpResolverSpec Ping(params string[] servers) => new() { Name = "ping1", Type = NpResolverType.Ping, Targets = ["10.231.9.1"], Servers = servers.Length == 0 ? null : [.. servers] };

    private static NpResolverSpec Http() => new() { Name = "http1", Type = NpResolverType.Http, Url = "http://10.231.9.1/" };

    private static NpResolverSpec Majority() => new() { Name = "majority1", Type = NpResolverType.Majority };

    private static NpResolverSpec Disk(params string[] servers) => new() { Name = "disk1", Type = NpResolverType.Disk, Servers = servers.Length == 0 ? null : [.. servers] };

    private static NpResolverSpec Com() => new() { Name = "com1", Type = NpResolverType.Com };

    /// <summary>The methods of the guide's table, and the hybrid example (Ping + Disk on the servers with
    /// the shared disk, Ping alone on the others), with the server counts each allows.</summary>
    public static TheoryData<string, int> Methods() => new()
    {
        { "none", 2 }, { "none", 3 }, { "none", 4 },
        { "ping", 2 }, { "ping", 3 }, { "ping", 4 },
        { "http", 2 }, { "http", 3 },
        { "majority", 3 }, { "majority", 4 },
        { "disk", 2 }, { "disk", 3 }, { "disk", 4 },
        { "com", 2 },
        { "ping+disk", 2 }, { "ping+disk", 3 }, { "ping+disk", 4 },
        { "com+disk", 2 },
        { "hybrid", 3 }, { "hybrid", 4 },
    };

    private static List<NpResolverSpec> Resolvers(string method, int n) => method switch
    {
        "none" => [],
        "ping" => [Ping()],
        "http" => [Http()],
        "majority" => [Majority()],
        "disk" => [Disk()],
        "com" => [Com()],
        "ping+disk" => [Ping(), Disk()],
        "com+disk" => [Com(), Disk()],
        // The guide's hybrid: the shared disk is on the first two servers only.
        "hybrid" => [Ping(), Disk(Names(n).Take(2).ToArray())],
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static string[] Names(int n) => [.. Enumerable.Range(1, n).Select(i => $"s{i}")];

    private static List<NpServer> Servers(int n) => [.. Names(n).Select((s, i) => new NpServer(s, i + 1))];

    /// <summary>One ground truth: the sides of live servers (dead ones are in none), which side reaches the
    /// API (-1: none), which sides reach the ping target / web server, the servers whose disk writes fail,
    /// and whether the serial line is up.</summary>
    private sealed record World(List<HashSet<string>> Sides, int ApiSide, bool[] Reach, HashSet<string> DiskFails, bool LineUp)
    {
        public HashSet<string> Live => [.. Sides.SelectMany(s => s)];

        public NpObservation Observe(string server, List<NpResolverSpec> resolvers)
        {
            var side = Sides.FindIndex(s => s.Contains(server));
            var checks = new Dictionary<string, bool>();
            var alive = new Dictionary<string, IReadOnlySet<string>>();
            var line = new Dictionary<string, bool>();
            foreach (var r in resolvers.Where(r => NpResolution.AppliesTo(r, server)))
            {
                switch (r.Type)
                {
                    case NpResolverType.Ping or NpResolverType.Http:
                        checks[r.Name] = Reach[side];
                        break;
                    case NpResolverType.Disk:
                        checks[r.Name] = !DiskFails.Contains(server);
                        if (!DiskFails.Contains(server))
                        {
                            // Everyone reads the same bytes: alive = live servers on this disk whose writes work.
                            alive[r.Name] = Live.Where(s => NpResolution.AppliesTo(r, s) && !DiskFails.Contains(s)).ToHashSet();
                        }

                        break;
                    case NpResolverType.Com:
                        checks[r.Name] = true;
                        // Both ends alive and the line up: each hears the other on it.
                        line[r.Name] = LineUp && Live.Count == 2;
                        break;
                }
            }

            return new NpObservation { Checks = checks, AliveOnDisk = alive, ComLineUp = line };
        }

        public List<NpVerdict> Decide(int n, List<NpResolverSpec> resolvers) =>
        [
            .. Sides.Select((side, i) => NpResolution.Decide(Servers(n), resolvers, new NpSide(side, i == ApiSide),
                side.ToDictionary(s => s, s => Observe(s, resolvers)))),
        ];

        public override string ToString() =>
            $"sides [{string.Join(" | ", Sides.Select((s, i) => string.Join(",", s.Order()) + (i == ApiSide ? "+API" : "") + (Reach[i] ? "" : " (no target)")))}]"
            + (DiskFails.Count > 0 ? $" disk fails on {string.Join(",", DiskFails.Order())}" : "") + (LineUp ? "" : " line down");
    }

    /// <summary>Every set partition of <paramref name="items"/>.</summary>
    private static IEnumerable<List<HashSet<string>>> Partitions(IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Partitions([.. items.Skip(1)]))
        {
            for (var i = 0; i < rest.Count; i++)
            {
                var copy = rest.Select(b => new HashSet<string>(b)).ToList();
                copy[i].Add(items[0]);
                yield return copy;
            }

            yield return [.. rest.Select(b => new HashSet<string>(b)), new HashSet<string> { items[0] }];
        }
    }

    private static IEnumerable<World> Worlds(int n)
    {
        var names = Names(n);
        // Every subset of live servers (at least one), every partition of them.
        for (var mask = 1; mask < 1 << n; mask++)
        {
            var live = names.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            foreach (var sides in Partitions(live))
            {
                for (var api = -1; api < sides.Count; api++)
                {
                    for (var reach = 0; reach < 1 << sides.Count; reach++)
                    {
                        var reaches = Enumerable.Range(0, sides.Count).Select(i => (reach & (1 << i)) != 0).ToArray();
                        foreach (var diskFails in new[] { new HashSet<string>(), new HashSet<string> { "s1" }, new HashSet<string>(live) })
                        {
                            foreach (var line in new[] { true, false })
                            {
                                yield return new World(sides, api, reaches, diskFails, line);
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryPartition_FromEverySide_NeverTwoSurvivors(string method, int n)
    {
        var resolvers = Resolvers(method, n);
        var checkedWorlds = 0;
        foreach (var world in Worlds(n))
        {
            var verdicts = world.Decide(n, resolvers);
            var survivors = verdicts.Count(v => v.Survives);
            Assert.True(survivors <= 1, $"{method}, {n} servers, {world}: {survivors} sides survive: {string.Join(" / ", verdicts.Select(v => v.Reason))}");
            checkedWorlds++;
        }

        Assert.True(checkedWorlds > 20, $"only {checkedWorlds} worlds enumerated");
    }

    /// <summary>The table's column "who survives a total network cut" (every server alone, the API with
    /// nobody), with the ping target and the disk working everywhere and the line up.</summary>
    [Theory]
    [InlineData("none", 2, null)]
    [InlineData("none", 3, null)]
    [InlineData("ping", 3, null)]
    [InlineData("http", 2, null)]
    [InlineData("majority", 3, null)]
    [InlineData("disk", 2, "s1")]
    [InlineData("disk", 3, "s1")]
    [InlineData("com", 2, "s1")]
    [InlineData("ping+disk", 3, "s1")]
    [InlineData("com+disk", 2, "s1")]
    [InlineData("hybrid", 3, "s1")]
    public void TotalNetworkCut_WhoSurvivesIsTheTables(string method, int n, string? survivor)
    {
        var world = new World([.. Names(n).Select(s => new HashSet<string> { s })], -1, [.. Enumerable.Repeat(true, n)], [], LineUp: true);
        var verdicts = world.Decide(n, Resolvers(method, n));
        var survivors = world.Sides.Where((_, i) => verdicts[i].Survives).Select(s => s.Single()).ToList();
        Assert.Equal(survivor is null ? [] : [survivor], survivors);
    }

    /// <summary>Rows where exactly one side survives: the API down for everyone while the servers hear each
    /// other (they keep running), a server cut from everything (the others with the API take over), and a
    /// server's death (the rest with the API fail it over).</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void ApiDownForEveryone_TheWholeClusterSurvives(string method, int n)
    {
        var world = new World([[.. Names(n)]], -1, [true], [], LineUp: true);
        Assert.True(world.Decide(n, Resolvers(method, n))[0].Survives);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ServerCutFromEverything_TheOthersWithTheApiSurvive_ItDoesNot(string method, int n)
    {
        foreach (var cut in Names(n))
        {
            // The serial line is a network path too: a total cut of that server takes it down.
            var world = new World([[cut], [.. Names(n).Where(s => s != cut)]], 1, [true, true], [], LineUp: false);
            var verdicts = world.Decide(n, Resolvers(method, n));
            if (method.Contains("disk", StringComparison.Ordinal) || method == "hybrid")
            {
                // The disk is a path too: a cut server still writing to it keeps the disk's choice when it
                // is the first server on it, and then nobody may take over (the Disk method's semantics).
                var first = cut == "s1";
                Assert.Equal([first, !first], verdicts.Select(v => v.Survives));
            }
            else
            {
                Assert.False(verdicts[0].Survives, $"{method}: {cut} alone survives: {verdicts[0].Reason}");
                Assert.True(verdicts[1].Survives, $"{method}, {cut} cut: the rest with the API lose: {verdicts[1].Reason}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ServerDeath_TheOthersWithTheApiSurvive(string method, int n)
    {
        foreach (var dead in Names(n))
        {
            var world = new World([[.. Names(n).Where(s => s != dead)]], 0, [true], [], LineUp: true);
            var verdict = world.Decide(n, Resolvers(method, n))[0];
            if (method == "majority" && n == 4 && dead == "s1")
            {
                // 3 of 4 servers: still more than half.
                Assert.True(verdict.Survives, verdict.Reason);
                continue;
            }

            Assert.True(verdict.Survives, $"{method}, {n} servers, {dead} dead: {verdict.Reason}");
        }
    }

    [Fact]
    public void Majority_ExactlyHalf_TheMastersSideSurvives()
    {
        var world = new World([["s1", "s2"], ["s3", "s4"]], -1, [true, true], [], LineUp: true);
        var verdicts = world.Decide(4, [Majority()]);
        Assert.Equal([true, false], verdicts.Select(v => v.Survives));
        Assert.Contains("exactly half with the master", verdicts[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WitnessQuorum_TheApiBreaksAnEvenSplit_AgainstTheMaster()
    {
        // 3 servers, {s1} | {s2, s3 + API}: 1 of 4 against 3 of 4.
        var world = new World([["s1"], ["s2", "s3"]], 1, [true, true], [], LineUp: true);
        Assert.Equal([false, true], world.Decide(3, []).Select(v => v.Survives));

        // 3 servers, {s1, s2} | {s3 + API}: 2 of 4 with the master against 2 of 4 without.
        world = new World([["s1", "s2"], ["s3"]], 1, [true, true], [], LineUp: true);
        Assert.Equal([true, false], world.Decide(3, []).Select(v => v.Survives));
    }

    [Fact]
    public void Ping_AnIsolatedServerIsNotCounted_AndASideOfIsolatedServersLoses()
    {
        // {s1, s2} cannot reach the target: they are isolated, the API side {s3} alone has 2 of 4 votes
        // without the master, so nobody survives and nobody fails over: the safe outcome.
        var world = new World([["s1", "s2"], ["s3"]], 1, [false, true], [], LineUp: true);
        var verdicts = world.Decide(3, [Ping()]);
        Assert.Equal([false, false], verdicts.Select(v => v.Survives));
        Assert.Contains("s1 fails ping1", verdicts[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_AServerWhoseDiskFails_LosesEvenWithTheMaster_AndTheOtherSideWins()
    {
        var world = new World([["s1"], ["s2"]], -1, [true, true], ["s1"], LineUp: true);
        Assert.Equal([false, true], world.Decide(2, [Disk()]).Select(v => v.Survives));
    }

    [Fact]
    public void Com_LineUp_TheMasterSurvives_LineSilent_TheWitnessQuorumDecides()
    {
        var up = new World([["s1"], ["s2"]], 1, [true, true], [], LineUp: true);
        Assert.Equal([true, false], up.Decide(2, [Com()]).Select(v => v.Survives));

        // Line and network cut together: s2 with the API has 2 of 3 votes; s1 alone 1 of 3.
        var down = new World([["s1"], ["s2"]], 1, [true, true], [], LineUp: false);
        Assert.Equal([false, true], down.Decide(2, [Com()]).Select(v => v.Survives));
    }

    [Fact]
    public void Hybrid_ServersWithoutTheDisk_CannotOutvoteTheDisk()
    {
        // s1, s2 share the disk; s3 does not. {s1} | {s2, s3 + API}: s1 writes to the disk, so it keeps
        // the disk's choice and the other side may not take over.
        var world = new World([["s1"], ["s2", "s3"]], 1, [true, true], [], LineUp: true);
        var verdicts = world.Decide(3, Resolvers("hybrid", 3));
        Assert.Equal([true, false], verdicts.Select(v => v.Survives));
    }
}
