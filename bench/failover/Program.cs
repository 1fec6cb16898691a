// The failover benchmark (not a test): a real 3-server CLP cluster in network namespaces (the system tier's
// harness), a client probing every 10 ms from its own namespace, and DESIGN tier 4's server death of the
// active server; also planned moves. Prints each run, the application's cold start, the agents' RSS, and
// last one line per figure. Needs root. RUNS (default 10), HEARTBEAT_TIMEOUT_MS (default 1000), PARTS (default all:
// a comma-separated subset of ip-failover, ip-move, rss, app, to measure one figure while working on it).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Clp.Core.Model;
using Clp.SystemTier.Tests;

var runs = int.TryParse(Environment.GetEnvironmentVariable("RUNS"), out var r) && r > 0 ? r : 10;
var timeoutMs = int.TryParse(Environment.GetEnvironmentVariable("HEARTBEAT_TIMEOUT_MS"), out var t) && t > 0 ? t : 1000;
var intervalMs = Math.Max(100, timeoutMs / 3);
var parts = (Environment.GetEnvironmentVariable("PARTS") is { Length: > 0 } p ? p : "ip-failover,ip-move,rss,app")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
var figures = new List<string>();
Console.WriteLine($"failover benchmark: RUNS={runs} heartbeat interval {intervalMs} ms, timeout {timeoutMs} ms, probe every 10 ms");

if (parts.Overlaps(["ip-failover", "ip-move", "rss"]))
{
    await using var ip = await SystemCluster.CreateAsync(intervalMs, timeoutMs, withDisk: false, withApp: false);
    ip.StartAgents();
    await ip.WaitForHolderAsync();
    var probe = new IcmpProber(ip.ClientSockets, IPAddress.Parse(ip.FloatingIp));
    if (parts.Contains("ip-failover"))
    {
        figures.Add(await Bench.FailoversAsync(ip, probe, "ip", runs, intervalMs, timeoutMs));
    }

    if (parts.Contains("ip-move"))
    {
        figures.Add(await Bench.MovesAsync(ip, probe, "ip", runs, intervalMs, timeoutMs));
    }

    await probe.DisposeAsync();
    if (parts.Contains("rss"))
    {
        Bench.PrintRss(ip, "ip group, no monitors");
        figures.Add(await Bench.MonitorRssAsync(ip));
    }
}

if (parts.Contains("app"))
{
    await using var app = await SystemCluster.CreateAsync(intervalMs, timeoutMs);
    Console.WriteLine($"application cold start: {await Bench.ColdStartAsync(app):0} ms (python3 HTTP server, start to first answer, median of 5)");
    app.StartAgents();
    await app.WaitForHolderAsync();
    var probe = new HttpProber(app.ClientSockets, IPAddress.Parse(app.FloatingIp), SystemCluster.AppPort);
    figures.Add(await Bench.FailoversAsync(app, probe, "app", runs, intervalMs, timeoutMs));
    figures.Add(await Bench.MovesAsync(app, probe, "app", runs, intervalMs, timeoutMs));
    await probe.DisposeAsync();
    Bench.PrintRss(app, "failover1: fip + disk + application");
}

foreach (var figure in figures)
{
    Console.WriteLine(figure);
}

/// <summary>The measurements.</summary>
internal static class Bench
{
    public static async Task<string> FailoversAsync(SystemCluster cluster, Prober probe, string group, int runs, int intervalMs, int timeoutMs)
    {
        var outages = new List<double>();
        for (var i = 1; i <= runs; i++)
        {
            var before = await cluster.WaitForHolderAsync();
            await probe.WaitForSuccessAfterAsync(probe.Now, TimeSpan.FromSeconds(60), before);
            await Task.Delay(500);
            var killedAt = probe.Now;
            await cluster.KillServerAsync(before);
            var after = await cluster.WaitForHolderAsync(except: before);
            await probe.WaitForSuccessAfterAsync(probe.Now, TimeSpan.FromSeconds(60), after);
            var outage = probe.LongestGapSince(killedAt);
            outages.Add(outage);
            Console.WriteLine($"failover run {i} group={group}: {before} died, {after} answers; client-seen outage {outage:0} ms ({probe.LastAnswer ?? after})");
            await cluster.PowerOnServerAsync(before);
            await cluster.WaitOnlineAsync(before);

            // The rejoined server settles (2 T, docs/partition-safety.md section 6) before the next death: until
            // then the controller may not count it, and the quorum for the next failover could be short.
            await Task.Delay(TimeSpan.FromMilliseconds((2 * timeoutMs) + intervalMs));
        }

        return Figure("failover_outage_ms", group, outages, intervalMs, timeoutMs);
    }

    public static async Task<string> MovesAsync(SystemCluster cluster, Prober probe, string group, int runs, int intervalMs, int timeoutMs)
    {
        var outages = new List<double>();
        var servers = cluster.Network.Servers.Select(s => s.Name).ToList();
        for (var i = 1; i <= runs; i++)
        {
            var before = await cluster.WaitForHolderAsync();
            var target = servers[(servers.IndexOf(before) + 1) % servers.Count];
            await probe.WaitForSuccessAfterAsync(probe.Now, TimeSpan.FromSeconds(60), before);
            await Task.Delay(500);
            var startedAt = probe.Now;
            var move = await cluster.RunAsync(OperationVerb.GroupMove, "Group", "failover1", new JsonObject { ["server"] = target });
            if (move.Status?.Phase != OperationPhase.Succeeded)
            {
                throw new InvalidOperationException($"move to {target} failed: {move.Status?.Message}");
            }

            await cluster.WaitForHolderAsync(only: target);
            await probe.WaitForSuccessAfterAsync(probe.Now, TimeSpan.FromSeconds(60), target);
            var outage = probe.LongestGapSince(startedAt);
            outages.Add(outage);
            Console.WriteLine($"move run {i} group={group}: {before} -> {target}; client-seen outage {outage:0} ms ({probe.LastAnswer ?? target})");
        }

        return Figure("move_outage_ms", group, outages, intervalMs, timeoutMs);
    }

    public static async Task<double> ColdStartAsync(SystemCluster cluster)
    {
        var times = new List<double>();
        var app = Path.Combine(cluster.Root, "app.py");
        for (var i = 0; i < 5; i++)
        {
            var port = 18080 + i;
            var started = Stopwatch.GetTimestamp();
            var process = cluster.Network.Client.Start("python3", [app, port.ToString(CultureInfo.InvariantCulture)]);
            try
            {
                using var http = cluster.ClientSockets.HttpClient(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMilliseconds(50));
                while (true)
                {
                    try
                    {
                        await http.GetStringAsync("/");
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
                    {
                        if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
                        {
                            throw;
                        }

                        await Task.Delay(2);
                    }
                }

                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        return Percentile(times, 50);
    }

    public static void PrintRss(SystemCluster cluster, string what)
    {
        foreach (var host in cluster.Network.Servers)
        {
            if (cluster.Agent(host.Name) is { HasExited: false } agent)
            {
                Console.WriteLine($"agent RSS {host.Name}: {RssMb(agent.Id):0.0} MB ({what})");
            }
        }
    }

    /// <summary>50 monitors at 1 s intervals on every server (20 ipw, 20 httpw, 10 genw), 30 s later: each agent's RSS.</summary>
    public static async Task<string> MonitorRssAsync(SystemCluster cluster)
    {
        var api = cluster.Network.ApiAddress;
        for (var i = 0; i < 50; i++)
        {
            var (type, parameters) = i switch
            {
                < 20 => ("ipw", new JsonObject { ["targets"] = new JsonArray(api) }),
                < 40 => ("httpw", new JsonObject { ["url"] = $"http://{api}:29009/healthz" }),
                _ => ("genw", new JsonObject { ["script"] = "true" }),
            };
            await cluster.Admin.Monitors.CreateMonitorAsync(SystemCluster.Name, new Clp.Core.Model.Monitor
            {
                Metadata = new ObjectMeta { Name = $"{type}-{i}" },
                Spec = new MonitorSpec { Type = type, Parameters = parameters, IntervalSeconds = 1, TimeoutSeconds = 5, Recovery = new MonitorRecovery { TargetKind = RecoveryTargetKind.Group, Target = "failover1" } },
            });
        }

        await Task.Delay(TimeSpan.FromSeconds(30));
        var normal = 0;
        var rss = new List<double>();
        foreach (var host in cluster.Network.Servers)
        {
            var status = await cluster.Admin.Servers.GetServerAsync(SystemCluster.Name, host.Name);
            normal += status.Status?.Monitors?.Count(m => m.Value.State == ObjectState.Normal) ?? 0;
            if (cluster.Agent(host.Name) is { HasExited: false } agent)
            {
                rss.Add(RssMb(agent.Id));
                Console.WriteLine($"agent RSS {host.Name}: {rss[^1]:0.0} MB with 50 monitors at 1 s (20 ipw, 20 httpw, 10 genw)");
            }
        }

        Console.WriteLine($"monitors Normal across the servers: {normal} of {50 * cluster.Network.Servers.Count}");
        return $"agent_rss_mb monitors=50 max={rss.Max():0.0} min={rss.Min():0.0} servers={rss.Count}";
    }

    private static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string Figure(string name, string group, List<double> values, int intervalMs, int timeoutMs) =>
        $"{name} group={group} min={values.Min():0} p50={Percentile(values, 50):0} p95={Percentile(values, 95):0} max={values.Max():0} runs={values.Count} heartbeat_interval_ms={intervalMs} heartbeat_timeout_ms={timeoutMs}";

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>Probes every 10 ms from the client namespace and records every success on one monotonic clock.</summary>
internal abstract class Prober : IAsyncDisposable
{
    private readonly List<(double At, string? Who)> _successes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private Task? _loop;

    public double Now => Stopwatch.GetElapsedTime(_origin).TotalMilliseconds;

    public string? LastAnswer { get; private set; }

    protected CancellationToken Stopping => _stop.Token;

    protected void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Waits until the timestamp <paramref name="next"/> (the next 10 ms tick); false once stopping.</summary>
    protected async Task<bool> PaceAsync(long next)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
        if (wait <= TimeSpan.Zero)
        {
            return !Stopping.IsCancellationRequested;
        }

        try
        {
            await Task.Delay(wait, Stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected abstract Task LoopAsync();

    protected void Success(string? who)
    {
        lock (_successes)
        {
            _successes.Add((Now, who));
            LastAnswer = who ?? LastAnswer;
        }
    }

    /// <summary>Waits for a success after <paramref name="at"/> (from <paramref name="who"/> where the probe
    /// tells who answered).</summary>
    public async Task WaitForSuccessAfterAsync(double at, TimeSpan bound, string? who = null)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            lock (_successes)
            {
                if (_successes.Count > 0 && _successes[^1].At > at && (_successes[^1].Who is null || who is null || _successes[^1].Who == who))
                {
                    return;
                }
            }

            if (Stopwatch.GetElapsedTime(deadline) > bound)
            {
                throw new TimeoutException($"no answer within {bound.TotalSeconds} s");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The longest gap between consecutive successes that ends after <paramref name="since"/>.</summary>
    public double LongestGapSince(double since)
    {
        lock (_successes)
        {
            var longest = 0.0;
            for (var i = 1; i < _successes.Count; i++)
            {
                if (_successes[i].At > since)
                {
                    longest = Math.Max(longest, _successes[i].At - _successes[i - 1].At);
                }
            }

            return longest;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }
}

/// <summary>ICMP echo to the floating IP every 10 ms over a raw socket made in the client namespace.</summary>
internal sealed class IcmpProber : Prober
{
    private readonly NetNsSockets _sockets;
    private readonly IPAddress _target;

    public IcmpProber(NetNsSockets sockets, IPAddress target)
    {
        _sockets = sockets;
        _target = target;
        Start();
    }

    protected override async Task LoopAsync()
    {
        using var socket = await _sockets.CreateAsync(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
        var id = (ushort)(Environment.ProcessId & 0xffff);
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            while (!Stopping.IsCancellationRequested)
            {
                try
                {
                    var got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), Stopping);
                    var ihl = (buffer[0] & 0x0f) * 4;
                    if (got.ReceivedBytes >= ihl + 8 && buffer[ihl] == 0 && ((buffer[ihl + 4] << 8) | buffer[ihl + 5]) == id
                        && ((IPEndPoint)got.RemoteEndPoint).Address.Equals(_target))
                    {
                        Success(null);
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
        ushort sequence = 0;
        var next = Stopwatch.GetTimestamp();
        while (!Stopping.IsCancellationRequested)
        {
            var packet = Echo(id, ++sequence);
            try
            {
                await socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(_target, 0));
            }
            catch (SocketException)
            {
                // Unreachable for now: that is the outage being measured.
            }

            next += Stopwatch.Frequency / 100;
            if (!await PaceAsync(next))
            {
                break;
            }
        }

        await receive;
    }

    private static byte[] Echo(ushort id, ushort sequence)
    {
        var packet = new byte[16];
        packet[0] = 8;
        packet[4] = (byte)(id >> 8);
        packet[5] = (byte)id;
        packet[6] = (byte)(sequence >> 8);
        packet[7] = (byte)sequence;
        uint sum = 0;
        for (var i = 0; i < packet.Length; i += 2)
        {
            sum += (uint)((packet[i] << 8) | packet[i + 1]);
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        var checksum = (ushort)~sum;
        packet[2] = (byte)(checksum >> 8);
        packet[3] = (byte)checksum;
        return packet;
    }
}

/// <summary>HTTP GET to the floating IP every 10 ms, a new connection per probe with a 10 ms connect timeout.</summary>
internal sealed class HttpProber : Prober
{
    private readonly NetNsSockets _sockets;
    private readonly IPEndPoint _target;

    public HttpProber(NetNsSockets sockets, IPAddress address, int port)
    {
        _sockets = sockets;
        _target = new IPEndPoint(address, port);
        Start();
    }

    protected override async Task LoopAsync()
    {
        var inFlight = new List<Task>();
        var next = Stopwatch.GetTimestamp();
        while (!Stopping.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count < 50)
            {
                inFlight.Add(ProbeOnceAsync());
            }

            next += Stopwatch.Frequency / 100;
            if (!await PaceAsync(next))
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task ProbeOnceAsync()
    {
        try
        {
            using var socket = await _sockets.ConnectAsync(_target, TimeSpan.FromMilliseconds(10));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await socket.SendAsync("GET / HTTP/1.0\r\nHost: app\r\n\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
            var buffer = new byte[512];
            var total = 0;
            int got;
            while ((got = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cts.Token)) > 0 && total + got < buffer.Length)
            {
                total += got;
            }

            total += got;
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, total);
            var at = text.IndexOf("server=", StringComparison.Ordinal);
            if (text.StartsWith("HTTP/1.0 200", StringComparison.Ordinal) && at >= 0)
            {
                Success(text[(at + 7)..].Trim());
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // No answer: part of the outage.
        }
    }
}
