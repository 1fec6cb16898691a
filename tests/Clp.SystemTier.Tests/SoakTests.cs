using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>The partition soak (issue 6): a random schedule of faults across the 3-server cluster (server
/// deaths, agent freezes and kills, a server cut from every network, from its peers, from the API, one
/// interconnect pulled, API restarts), one at a time, each held for T/2 to 3T/2 and healed, for
/// <c>CLP_SOAK_SECONDS</c> (default 150: the short soak of CI; the issue's soak is 600 or more). The
/// split-brain checker samples ground truth all along. Then the history is checked: no overlap; after every
/// fault that killed or isolated the server serving the group, the client is served again within
/// T + M + 2 s; no other unserved window. It prints the faults, failovers, fences and the client-seen
/// availability (also appended to <c>.artifacts/soak-report.txt</c>).</summary>
public class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private enum FaultKind
    {
        ServerDeath,
        AgentFreeze,
        AgentKill,
        CutFromEverything,
        CutFromPeers,
        CutFromApi,
        InterconnectPulled,
        ApiRestart,
    }

    private sealed record Fault(int Round, FaultKind Kind, string? Target, string Active, double StartMs, double HoldMs)
    {
        public double HealedMs { get; set; }

        /// <summary>Faults after which the group may go unserved for a while: the serving server died, froze,
        /// lost its agent, or was cut from every network.</summary>
        public bool HitsTheActiveServer => Target == Active && Kind is FaultKind.ServerDeath or FaultKind.AgentFreeze or FaultKind.AgentKill or FaultKind.CutFromEverything;
    }

    [SystemFact("ping", "nsenter", "unshare", "python3", "arping", "losetup", "mkfs.ext4", "nft")]
    public async Task PartitionSoak_NoOverlap_AndTheGroupIsServedAgainInTime()
    {
        var seconds = int.Parse(Environment.GetEnvironmentVariable("CLP_SOAK_SECONDS") ?? "150", CultureInfo.InvariantCulture);
        var seed = Environment.GetEnvironmentVariable("CLP_SOAK_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);

        // T = 10 s, I = 500 ms: T − F leaves room for deferral while the API is away (docs/partition-safety.md).
        await using var cluster = await SystemCluster.CreateAsync(timeoutMs: 10_000);
        var t = TimeSpan.FromMilliseconds(cluster.TimeoutMs);
        var m = TimeSpan.FromMilliseconds(Math.Max(0.1 * cluster.TimeoutMs, 200));
        var allowed = t + m + TimeSpan.FromSeconds(2);
        await using var checker = new SplitBrainChecker(cluster);
        cluster.StartAgents();
        await GroupLifecycleTests.Served(cluster, "s1");
        await RecoveredAsync(cluster, t);

        var faults = new List<Fault>();
        var deck = new Queue<FaultKind>();
        var soakStart = checker.NowMs;
        var end = TimeProvider.System.GetTimestamp() + (long)(seconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < end)
        {
            if (deck.Count == 0)
            {
                foreach (var k in Enum.GetValues<FaultKind>().OrderBy(_ => random.Next()))
                {
                    deck.Enqueue(k);
                }
            }

            var kind = deck.Dequeue();
            var active = await cluster.WaitForHolderAsync();
            var others = new[] { "s1", "s2", "s3" }.Where(s => s != active).ToArray();
            var target = kind == FaultKind.ApiRestart ? null : random.Next(10) < 6 ? active : others[random.Next(others.Length)];
            var hold = t.TotalMilliseconds * (0.5 + random.NextDouble());
            var fault = new Fault(faults.Count + 1, kind, target, active, checker.NowMs, hold);
            faults.Add(fault);
            output.WriteLine($"{fault.StartMs / 1000:F1} s: round {fault.Round}: {kind} {target ?? "(api)"} for {hold / 1000:F1} s (group on {active})");

            var heal = await InjectAsync(cluster, kind, target, random);
            await Task.Delay(TimeSpan.FromMilliseconds(hold));
            await heal();
            fault.HealedMs = checker.NowMs;
            await RecoveredAsync(cluster, t);
        }

        await checker.AssertNoOverlapAsync();

        // The history. An unserved window is two or more unanswered client requests in a row, from the first of them to
        // the next answer (SplitBrainChecker.UnservedWindows); it must start after a fault that hit the serving server.
        // What is bounded is the time to be served again: from that fault's start to the window's end, at most
        // T + M + 2 s (docs/partition-safety.md, section 9). The failure message and the summary give both figures.
        var problems = new List<string>();
        var windows = checker.UnservedWindows(after: soakStart);
        var servedAgain = new List<double>();
        foreach (var (from, to, _) in windows)
        {
            var cause = faults.LastOrDefault(f => f.StartMs <= from);
            if (cause is null || !cause.HitsTheActiveServer)
            {
                problems.Add($"unserved window {from / 1000:F1}-{to / 1000:F1} s ({to - from:F0} ms long) after {(cause is null ? "no fault" : $"round {cause.Round} {cause.Kind} {cause.Target ?? "(api)"}, which did not hit the serving server {cause.Active}")}");
                continue;
            }

            servedAgain.Add(to - cause.StartMs);
            if (to - cause.StartMs > allowed.TotalMilliseconds)
            {
                problems.Add($"unserved window {from / 1000:F1}-{to / 1000:F1} s ({to - from:F0} ms long, beginning {from - cause.StartMs:F0} ms after round {cause.Round} ({cause.Kind} {cause.Target}) began): served again {to - cause.StartMs:F0} ms after the fault began, past T + M + 2 s = {allowed.TotalMilliseconds:F0} ms");
            }
        }

        var answers = checker.ClientAnswers.Where(a => a.Ms >= soakStart).ToList();
        var answered = answers.Count(a => a.Server is not null);
        var holders = checker.FloatingIpHolderSequence();
        var fences = cluster.RecordedFences();
        var guard = cluster.GuardReleases();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"soak: seed {seed}, {(checker.NowMs - soakStart) / 1000:F0} s, T = {cluster.TimeoutMs} ms, I = {cluster.IntervalMs} ms, {checker.Samples} ground-truth samples, {answers.Count} client requests");
        report.AppendLine(CultureInfo.InvariantCulture, $"soak: faults injected: {faults.Count} ({string.Join(", ", faults.GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}); hit the serving server: {faults.Count(f => f.HitsTheActiveServer)}");
        var moves = holders.Where((h, i) => i == 0 || h != holders[i - 1]).ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"soak: failovers (the floating IP moved to another server): {Math.Max(0, moves.Count - 1)}; released and started again on the same server: {holders.Count - moves.Count} [{string.Join(" -> ", holders)}]; fences: {fences.Count}; fence guard releases: {guard.Count}; overlaps: 0");
        report.AppendLine(CultureInfo.InvariantCulture, $"soak: client-seen availability {100.0 * answered / Math.Max(1, answers.Count):F2}% ({answered}/{answers.Count}); single lost requests: {checker.LostRequests(soakStart)}; unserved windows (2 or more requests): {windows.Count}, the longest {(windows.Count == 0 ? 0 : windows.Max(w => w.To - w.From)):F0} ms long; served again at most {(servedAgain.Count == 0 ? 0 : servedAgain.Max()):F0} ms after the fault that hit the serving server began (allowed: T + M + 2 s = {allowed.TotalMilliseconds:F0} ms)");
        output.WriteLine(report.ToString());
        AppendReport(report.ToString());
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + report + "\n" + string.Join("\n", faults) + "\n" + cluster.Logs());
    }

    /// <summary>Injects the fault; returns how to heal it.</summary>
    private static async Task<Func<Task>> InjectAsync(SystemCluster cluster, FaultKind kind, string? target, Random random)
    {
        var host = target is null ? null : cluster.Network.Server(target);
        switch (kind)
        {
            case FaultKind.ServerDeath:
                await cluster.KillServerAsync(target!);
                return () => cluster.PowerOnServerAsync(target!);
            case FaultKind.AgentFreeze:
            {
                var pid = cluster.Agent(target!)!.Id;
                ProcessSignals.Send(pid, ProcessSignals.Stop);
                return () =>
                {
                    ProcessSignals.Send(pid, ProcessSignals.Cont);
                    return Task.CompletedTask;
                };
            }

            case FaultKind.AgentKill:
            {
                var agent = cluster.Agent(target!)!;
                ProcessSignals.Send(agent.Id, ProcessSignals.Kill);
                await agent.WaitForExitAsync();
                return () =>
                {
                    cluster.StartAgent(target!);
                    return Task.CompletedTask;
                };
            }

            case FaultKind.CutFromEverything:
                return await LinksAsync(host!, [0, 1, 2]);
            case FaultKind.CutFromPeers:
                return await LinksAsync(host!, [1, 2]);
            case FaultKind.InterconnectPulled:
                return await LinksAsync(host!, [1 + random.Next(2)]);
            case FaultKind.CutFromApi:
                await host!.BlockAsync(cluster.Network.ApiAddress);
                return host.UnblockAsync;
            default:
                cluster.KillApi();
                return cluster.StartApiAsync;
        }
    }

    private static async Task<Func<Task>> LinksAsync(TestHost host, int[] links)
    {
        foreach (var link in links)
        {
            await host.SetLinkAsync(link, up: false);
        }

        return async () =>
        {
            foreach (var link in links)
            {
                await host.SetLinkAsync(link, up: true);
            }
        };
    }

    /// <summary>Waits until the cluster is whole again (every agent online under an unrevoked lease, hearing
    /// every peer on both interconnects; the group served by exactly one server, as seen from outside), then
    /// lets every server settle (2 T + I) so the next fault meets a cluster that can fail over.</summary>
    private static async Task RecoveredAsync(SystemCluster cluster, TimeSpan t)
    {
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await SystemCluster.WaitForAsync(async () =>
                {
                    var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server);
                    var status = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status;
                    return lease.Status?.Revoked != true && status?.Phase == "Online" && status.Incarnation == lease.Spec.Incarnation
                           && status.Heartbeats?.Values.All(h => h.State == "Normal") == true && status.Heartbeats.Count == 2;
                },
                $"{server} to be online under its lease and to hear every peer", Bound);
        }

        var holder = await cluster.WaitForHolderAsync();
        await cluster.WaitServedByAsync(holder, Bound);
        await Task.Delay(2 * t + TimeSpan.FromMilliseconds(cluster.IntervalMs));
    }

    private static void AppendReport(string text)
    {
        try
        {
            var file = Path.Combine(RepoRoot.Path, ".artifacts", "soak-report.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.AppendAllText(file, text);
        }
        catch (IOException)
        {
            // Best effort: the assertions are the check.
        }
    }
}
