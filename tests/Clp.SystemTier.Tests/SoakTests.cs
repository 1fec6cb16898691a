using Clp.Core.Model;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Clp.SystemTier.Tests;

/// <summary>The partition soak (issue 6): a random schedule of faults across the 3-server cluster (server
/// deaths, agent freezes and kills, a server cut from every network, from its peers, from the API, one
/// interconnect pulled, API restarts), one at a time, each held for T/2 to 3T/2 and healed, for
/// <c>CLP_SOAK_SECONDS</c> (default 150: the short soak of CI; the issue's soak is 600 or more). The
/// split-brain checker samples ground truth all along. Then the history is checked: no overlap; after every
/// fault that killed or isolated the server serving the group, the next holder has the floating IP within
/// T + M + 2 s and answers within the group's start path; no other unserved window. It prints the faults, failovers, fences and the client-seen
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
        // Two bounds follow from the protocol (docs/partition-safety.md, section 9), each figure in the message and the
        // summary alike:
        // - the failover began in time: the server that answers at the window's end holds the floating IP (the first of
        //   the group's resources in start order) within T + M + 2 s of the fault's start;
        // - it is served once the group's start path ran: from that instant to the answer, at most the start timeouts
        //   of the group's resources plus one client probe (its interval and timeout).
        var problems = new List<string>();
        var windows = checker.UnservedWindows(after: soakStart);
        var clientAnswers = checker.ClientAnswers;
        var startPath = TimeSpan.FromSeconds(await cluster.GroupStartTimeoutSecondsAsync()) + SplitBrainChecker.ProbeInterval + SplitBrainChecker.ProbeTimeout;
        var began = new List<double>();
        var started = new List<double>();
        foreach (var (from, to, _) in windows)
        {
            // The window's first unanswered request was SENT at `from`; a fault that began before its answer was due
            // (within the probe timeout) is what it met: a request in flight when the fault began fails with it.
            var cause = faults.LastOrDefault(f => f.StartMs <= from + SplitBrainChecker.ProbeTimeout.TotalMilliseconds);
            var window = $"unserved window {from / 1000:F1}-{to / 1000:F1} s ({to - from:F0} ms long";
            if (cause is null || !cause.HitsTheActiveServer)
            {
                problems.Add($"{window}) after {(cause is null ? "no fault" : $"round {cause.Round} {cause.Kind} {cause.Target ?? "(api)"}, which did not hit the serving server {cause.Active}")}");
                continue;
            }

            window += $", beginning {from - cause.StartMs:F0} ms after round {cause.Round} ({cause.Kind} {cause.Target}) began";
            var next = clientAnswers.FirstOrDefault(a => a.Ms == to).Server;
            if (next is null || checker.HeldAloneSince(next, to) is not { } taken)
            {
                problems.Add($"{window}): not served again by a server holding the floating IP alone");
                continue;
            }

            // A holder that kept the address through the fault (healed before it fenced) starts nothing: it answers once
            // the fault is healed.
            var kept = taken < cause.StartMs;
            var startFrom = kept ? cause.HealedMs : taken;
            if (!kept)
            {
                began.Add(taken - cause.StartMs);
                if (taken - cause.StartMs > allowed.TotalMilliseconds)
                {
                    problems.Add($"{window}): {next} took the floating IP {taken - cause.StartMs:F0} ms after the fault began, past T + M + 2 s = {allowed.TotalMilliseconds:F0} ms");
                }
            }

            started.Add(to - startFrom);
            if (to - startFrom > startPath.TotalMilliseconds)
            {
                problems.Add($"{window}): {next} answered {to - startFrom:F0} ms after it {(kept ? "was healed" : "took the floating IP")}, past the group's start path {startPath.TotalMilliseconds:F0} ms");
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
        report.AppendLine(CultureInfo.InvariantCulture, $"soak: client-seen availability {100.0 * answered / Math.Max(1, answers.Count):F2}% ({answered}/{answers.Count}); single lost requests: {checker.LostRequests(soakStart)}; unserved windows (2 or more requests): {windows.Count}, the longest {(windows.Count == 0 ? 0 : windows.Max(w => w.To - w.From)):F0} ms long; after a fault that hit the serving server, the next holder took the floating IP at most {(began.Count == 0 ? 0 : began.Max()):F0} ms after the fault began (allowed: T + M + 2 s = {allowed.TotalMilliseconds:F0} ms) and answered at most {(started.Count == 0 ? 0 : started.Max()):F0} ms after that (allowed: the start path, {startPath.TotalMilliseconds:F0} ms)");
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

    /// <summary>Waits until the cluster is whole again (the controller leads; every agent online under an unrevoked
    /// lease, hearing every peer on both interconnects; the group served by exactly one server, as seen from outside),
    /// then lets every server settle (2 T + I) so the next fault meets a cluster that can fail over at T + M. The
    /// controller counts settling from when it leads: after an API restart that is its predecessor's leader lease
    /// later (about 15 s), and a fault dealt sooner would meet a controller that may not judge a silent server down
    /// yet (docs/partition-safety.md, sections 6 and 9).</summary>
    private static async Task RecoveredAsync(SystemCluster cluster, TimeSpan t)
    {
        await cluster.WaitControllerLeadsAsync();
        foreach (var server in new[] { "s1", "s2", "s3" })
        {
            await SystemCluster.WaitForAsync(async () =>
                {
                    var lease = await cluster.Admin.Leases.GetLeaseAsync(SystemCluster.Name, server);
                    var status = (await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, server)).Status;
                    return lease.Status?.Revoked != true && status?.Phase == ObjectState.Online && status.Incarnation == lease.Spec.Incarnation
                           && status.Heartbeats?.Values.All(h => h.State == HeartbeatState.Normal) == true && status.Heartbeats.Count == 2;
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
