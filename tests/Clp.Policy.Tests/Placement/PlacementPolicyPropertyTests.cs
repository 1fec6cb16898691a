using Clp.Core.Model;
using Clp.Policy.Placement;
using static Clp.Policy.Placement.PlacementReasons;

namespace Clp.Policy.Tests.Placement;

/// <summary>Random small clusters with a fixed seed: whatever happens, one group never runs on two
/// servers, never lands on a server that is not Up and joined, and every write carries epoch + 1.</summary>
public class PlacementPolicyPropertyTests
{
    private static readonly ServerLiveness[] Liveness = Enum.GetValues<ServerLiveness>();

    [Fact]
    public void RandomRuns_NeverRunOneGroupOnTwoServers()
    {
        var random = new Random(20_240_611);
        var reasons = new Dictionary<string, int>();
        for (var run = 0; run < 400; run++)
        {
            Run(random, run, reasons);
        }

        // The runs must exercise every kind of placement, not only startups.
        string[] expected = [Startup, ServerDown, Failover, Failback, ManualMove, ManualStart, ServerLeft, ServerAvailable, Rejoined];
        var missing = expected.Where(r => reasons.GetValueOrDefault(r) == 0).ToList();
        Assert.True(missing.Count == 0, $"no placement for {string.Join(", ", missing)}");
    }

    private static void Run(Random random, int run, Dictionary<string, int> reasons)
    {
        var servers = Enumerable.Range(1, random.Next(1, 5)).Select(i => $"s{i}").ToArray();
        var world = World.WithServers(servers)
            .ServerGroup("svgA", servers[..((servers.Length + 1) / 2)])
            .ServerGroup("svgB", servers[((servers.Length + 1) / 2)..]);
        world.Phase = ClusterPhase.Starting;
        world.SyncWait = TimeSpan.FromSeconds(10);
        world.Counts = new(random.Next(2) == 0 ? FailoverCountUnit.Server : FailoverCountUnit.Cluster);
        for (var g = 0; g < random.Next(1, 5); g++)
        {
            world.Group($"g{g}", RandomSpec(random, servers), threshold: random.Next(4) switch { 0 => 1, 1 => 2, _ => null });
        }

        // Ground truth: which servers run each group (an agent runs what was placed on it until it
        // reports Offline, or until it is judged down and fences).
        var running = world.Groups.ToDictionary(g => g.Name, _ => new HashSet<string>());
        for (var step = 0; step < 60; step++)
        {
            Perturb(random, world, servers, running);
            var input = world.Input();
            var result = PlacementPolicy.Decide(input);
            Check(input, result, $"run {run} step {step}");
            world.Step();
            foreach (var place in result.Decisions.OfType<Place>())
            {
                running[place.Group].Add(place.Server);
                reasons[place.Reason] = reasons.GetValueOrDefault(place.Reason) + 1;
            }

            foreach (var (group, on) in running)
            {
                Assert.True(on.Count <= 1, $"run {run} step {step}: {group} runs on {string.Join(", ", on)}");
            }
        }
    }

    private static void Check(PlacementInput input, PlacementResult result, string where)
    {
        Assert.Equal(input.Groups.Select(g => g.Name).Order(), result.Decisions.Select(d => d.Group).Order());
        foreach (var decision in result.Decisions)
        {
            var group = input.Groups.Single(g => g.Name == decision.Group);
            if (decision is Place place)
            {
                var entries = input.Servers.Where(s => s.Name == place.Server).ToList();
                Assert.True(entries.Count > 0 && entries.All(s => s is { Liveness: ServerLiveness.Up, Joined: true }), $"{where}: {place} on a server not Up and joined");
                var fromDown = group.Current is { } current && input.Servers.Where(s => s.Name == current).All(s => s.Liveness == ServerLiveness.Down);
                var released = group.Current is null && (group.Drain is null || group.DrainedOffline
                    || input.Servers.Where(s => s.Name == group.Drain.From).All(s => s.Liveness == ServerLiveness.Down));
                var same = group.Current == place.Server;
                Assert.True(fromDown || released || same, $"{where}: {place} while {group}");
            }

            if (decision is Place or Unplace)
            {
                var epoch = decision is Place p ? p.Epoch : ((Unplace)decision).Epoch;
                Assert.True(epoch == group.Epoch + 1, $"{where}: {decision} after epoch {group.Epoch}");
            }
        }
    }

    private static void Perturb(Random random, World world, string[] servers, Dictionary<string, HashSet<string>> running)
    {
        world.Now += TimeSpan.FromSeconds(random.Next(0, 4));
        switch (random.Next(10))
        {
            case 0 or 1:
                var server = servers[random.Next(servers.Length)];
                var liveness = Liveness[random.Next(Liveness.Length)];
                var wasDown = world.Servers.First(s => s.Name == server).Liveness == ServerLiveness.Down;
                world.Server(server, liveness, joined: liveness != ServerLiveness.Down || random.Next(2) == 0);
                if (liveness == ServerLiveness.Down)
                {
                    // Judged down: its lease is revoked and it has fenced.
                    foreach (var on in running.Values)
                    {
                        on.Remove(server);
                    }
                }
                else if (wasDown)
                {
                    // A new incarnation joined: placements on it predate the join.
                    foreach (var group in world.Groups.Where(g => g.Current == server).ToList())
                    {
                        world.Set(group.Name, g => g with { IssuedBeforeJoin = true });
                    }
                }

                break;
            case 2 or 3 or 4:
                foreach (var group in world.Groups.Where(g => g.Drain is not null && !g.DrainedOffline).ToList())
                {
                    if (random.Next(2) == 0)
                    {
                        world.ReportOffline(group.Name);
                        running[group.Name].Remove(group.Drain!.From);
                    }
                }

                break;
            case 5 or 6:
                var kinds = Enum.GetValues<PlacementRequestKind>();
                var target = random.Next(3) == 0 ? null : servers[random.Next(servers.Length)];
                world.Request(kinds[random.Next(kinds.Length)], $"g{random.Next(4)}", target);
                break;
            case 7:
                world.Phase = world.Phase switch
                {
                    ClusterPhase.Running => random.Next(2) == 0 ? ClusterPhase.Suspended : ClusterPhase.Stopped,
                    ClusterPhase.Suspended => ClusterPhase.Running,
                    ClusterPhase.Stopped => ClusterPhase.Starting,
                    _ => world.Phase,
                };
                world.StartedAt = world.Now;
                break;
        }
    }

    private static GroupSpec RandomSpec(Random random, string[] servers)
    {
        var spec = Specs.All(
            random.Next(2) == 0 ? FailbackAttribute.Auto : FailbackAttribute.Manual,
            random.Next(3) == 0 ? StartupAttribute.Manual : StartupAttribute.Auto,
            (ExclusiveAttribute)random.Next(3));
        spec.FailoverPolicy = random.Next(3) switch
        {
            0 => new() { Kind = FailoverPolicyKind.Servers, Servers = [.. servers.OrderBy(_ => random.Next()).Take(random.Next(1, servers.Length + 1))] },
            1 => new() { Kind = FailoverPolicyKind.ServerGroups, ServerGroups = random.Next(2) == 0 ? ["svgB", "svgA"] : ["svgA", "svgB"] },
            _ => new() { Kind = FailoverPolicyKind.AllServers },
        };
        return spec;
    }
}
