namespace Clp.SystemTier.Tests;

/// <summary>Samples ground truth from outside CLP on one monotonic clock while a test runs: which server
/// namespaces hold the floating IP, which mount namespaces hold the disk, which network namespaces run the
/// application's processes (every 20 ms), and which server answered a client's request through the
/// floating IP (every 100 ms, a new connection each). Any sample with two holders of the address, the mount
/// or the application is an overlap: the safety invariant "one group never runs on two servers at once"
/// broken.</summary>
public sealed class SplitBrainChecker : IAsyncDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    private readonly SystemCluster _cluster;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _start = TimeProvider.System.GetTimestamp();
    private readonly Task _loop;
    private readonly Task _clientLoop;
    private readonly List<string> _overlaps = [];
    private readonly List<string> _ipHolders = [];
    private readonly List<(double Ms, string Holders)> _ipChanges = [];
    private readonly List<(double Ms, string? Server)> _answers = [];

    public SplitBrainChecker(SystemCluster cluster)
    {
        _cluster = cluster;
        _loop = Task.Run(LoopAsync);
        _clientLoop = Task.Run(ClientLoopAsync);
    }

    public int Samples { get; private set; }

    /// <summary>Milliseconds since the checker started: the clock of every sample and answer.</summary>
    public double NowMs => TimeProvider.System.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>Every client request so far: when it was sent and who answered (null: no answer in time).</summary>
    public IReadOnlyList<(double Ms, string? Server)> ClientAnswers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var at = NowMs;
            var ips = await _cluster.FloatingIpHoldersAsync();
            var mounts = _cluster.MountHolders();
            var apps = _cluster.WithApp ? _cluster.AppHolders() : [];
            var holders = string.Join("+", ips);
            lock (_ipHolders)
            {
                if (_ipHolders.Count == 0 || _ipHolders[^1] != holders)
                {
                    _ipHolders.Add(holders);
                    _ipChanges.Add((at, holders));
                }
            }

            if (ips.Count > 1)
            {
                _overlaps.Add($"{at:0} ms: floating IP on {string.Join(" and ", ips)}");
            }

            if (mounts.Count > 1)
            {
                _overlaps.Add($"{at:0} ms: disk mounted on {string.Join(" and ", mounts)}");
            }

            if (apps.Count > 1)
            {
                _overlaps.Add($"{at:0} ms: application processes running on {string.Join(" and ", apps)}");
            }

            Samples++;
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ClientLoopAsync()
    {
        if (!_cluster.WithApp)
        {
            return;
        }

        while (!_stop.IsCancellationRequested)
        {
            var at = NowMs;
            var server = await _cluster.ProbeAppAsync(ProbeTimeout);
            lock (_answers)
            {
                _answers.Add((at, server));
            }

            var wait = ProbeInterval - TimeSpan.FromMilliseconds(NowMs - at);
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The stretches without an answer, as [from, to) on the checker's clock: from the first unanswered
    /// request to the next answered one (or the last request), with the number of unanswered requests. A
    /// single unanswered request between two answered ones is not a window (a request lost to a loaded
    /// machine, not an outage: an outage spans at least two); <see cref="LostRequests"/> counts those.</summary>
    public IReadOnlyList<(double From, double To, int Requests)> UnservedWindows(double after = 0)
    {
        var windows = new List<(double, double, int)>();
        double? from = null;
        var count = 0;
        var answers = ClientAnswers.Where(a => a.Ms >= after).ToList();
        foreach (var (ms, server) in answers)
        {
            if (server is null)
            {
                from ??= ms;
                count++;
            }
            else if (from is { } f)
            {
                if (count > 1)
                {
                    windows.Add((f, ms, count));
                }

                from = null;
                count = 0;
            }
        }

        if (from is { } open)
        {
            windows.Add((open, answers[^1].Ms, count));
        }

        return windows;
    }

    /// <summary>Unanswered requests alone between two answered ones (not counted as unserved windows).</summary>
    public int LostRequests(double after = 0)
    {
        var answers = ClientAnswers.Where(a => a.Ms >= after).ToList();
        return Enumerable.Range(1, Math.Max(0, answers.Count - 2)).Count(i => answers[i].Server is null && answers[i - 1].Server is not null && answers[i + 1].Server is not null);
    }

    /// <summary>Every change of who held the floating IP, in order ("" = nobody, "s1+s2" = an overlap).</summary>
    public IReadOnlyList<string> FloatingIpHistory
    {
        get
        {
            lock (_ipHolders)
            {
                return [.. _ipHolders];
            }
        }
    }

    /// <summary>When the stretch in which <paramref name="server"/> alone held the floating IP at <paramref name="atMs"/>
    /// began (the sample that first saw it so), or null when it did not hold it alone then.</summary>
    public double? HeldAloneSince(string server, double atMs)
    {
        lock (_ipHolders)
        {
            var last = _ipChanges.LastOrDefault(c => c.Ms <= atMs);
            return last.Holders == server ? last.Ms : null;
        }
    }

    /// <summary>The servers that held the floating IP in turn, each stretch of holding counted once: a group
    /// that failed over exactly once from s1 to s2 reads [s1, s2].</summary>
    public IReadOnlyList<string> FloatingIpHolderSequence() => [.. FloatingIpHistory.Where(h => h.Length > 0)];

    /// <summary>Stops sampling and fails the test if any sample saw an overlap.</summary>
    public async Task AssertNoOverlapAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _clientLoop;
        Assert.True(Samples > 0, "the checker took no sample");
        Assert.True(_overlaps.Count == 0, "overlaps: " + string.Join("; ", _overlaps.Take(10)));

        // DESIGN rule 3: every fence any agent recorded completed by lease age T. An agent that was frozen past its
        // deadline completes its own fence late after it thaws; rule 11's fence guard released for it by T, so each
        // such late fence must be matched by an in-time release of that server's guard (and no guard release is late).
        var guard = _cluster.GuardReleases();
        Report([.. _cluster.RecordedFences().Where(f => !f.Late && f.AgeMs <= f.TimeoutMs).Select(f => ("fence", f.Server, f.AgeMs, f.TimeoutMs)),
            .. guard.Select(g => ("guard", g.Server, g.AgeMs, g.TimeoutMs))]);
        var lateGuard = guard.Where(g => g.Late || g.AgeMs > g.TimeoutMs).ToList();
        Assert.True(lateGuard.Count == 0, "fence guard releases completed past T: " + string.Join("; ", lateGuard.Select(g => $"{g.Server} at {g.AgeMs:F0} ms (T = {g.TimeoutMs:F0} ms)")));
        var late = _cluster.RecordedFences().Where(f => f.Late || f.AgeMs > f.TimeoutMs)
            .GroupBy(f => f.Server)
            .Where(g => g.Count() > guard.Count(r => r.Server == g.Key))
            .SelectMany(g => g)
            .ToList();
        Assert.True(late.Count == 0, "fences completed past T (not covered by the server's fence guard): " + string.Join("; ", late.Select(f => $"{f.Server} at {f.AgeMs:F0} ms (T = {f.TimeoutMs:F0} ms)")));
    }

    /// <summary>Appends the releases that happened in time to <c>.artifacts/systest-fences.log</c>, where
    /// tests/run reports the largest lease age at completion (a convenience; the assertions are the check).</summary>
    private static void Report(IEnumerable<(string Kind, string Server, double AgeMs, double TimeoutMs)> releases)
    {
        try
        {
            var report = Path.Combine(RepoRoot.Path, ".artifacts", "systest-fences.log");
            Directory.CreateDirectory(Path.GetDirectoryName(report)!);
            File.AppendAllLines(report, releases.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Kind} {r.Server} {r.AgeMs:F0} ms {r.TimeoutMs:F0} ms")));
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loop, _clientLoop);
        }
        catch (Exception)
        {
            // Sampling errors after a failed test are not interesting.
        }

        _stop.Dispose();
    }
}
