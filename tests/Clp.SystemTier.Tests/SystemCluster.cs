using System.Globalization;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Clp.Client;
using Clp.Core.Model;

namespace Clp.SystemTier.Tests;

/// <summary>A real CLP cluster on the tier-4 test network: clp-api as a process in its own namespace, one
/// clp-agent process per server inside that server's namespaces (real Linux drivers, test-host power), and
/// the guide's sample adapted to Linux: group <c>failover1</c> with a floating IP, a disk (ext4 on a loop
/// device every server sees, as a shared disk) and a resident application that serves HTTP and answers
/// with its server's name. Ground truth is read from outside CLP (addresses, mounts, processes, what the
/// client gets).</summary>
public sealed partial class SystemCluster : IAsyncDisposable
{
    public const string Name = "cluster";
    public const string AdminKey = "system-tier-admin-key-0123456789";
    public const int AppPort = 8080;
    private readonly Dictionary<string, Process> _agents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private Process? _api;
    private NetNsSockets? _clientSockets;

    private SystemCluster(TestNetwork network, string root)
    {
        Network = network;
        Root = root;
    }

    public TestNetwork Network { get; }

    /// <summary>This run's folder: api data, agent state, keys, logs, the shared disk image.</summary>
    public string Root { get; }

    public int IntervalMs { get; private init; }

    public int TimeoutMs { get; private init; }

    public ClpClient Admin { get; private set; } = null!;

    /// <summary>HTTP from the client namespace, a new connection per request (connect timeout 1 s).</summary>
    public NetNsSockets ClientSockets => _clientSockets!;

    public string FloatingIp => Network.FloatingIp(0);

    public string ApiUrl => $"http://{Network.ApiAddress}:29009";

    public string? LoopDevice { get; private set; }

    public static string ApiPath { get; } = Metadata("ApiPath");

    public static string AgentPath { get; } = Metadata("AgentPath");

    private static string Metadata(string key) =>
        typeof(SystemCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Creates the network, starts clp-api and creates the cluster objects (no agent yet).</summary>
    public static async Task<SystemCluster> CreateAsync(int intervalMs = 500, int timeoutMs = 6000, bool withDisk = true, bool withApp = true,
        Action<ClusterSpec, TestNetwork>? configure = null)
    {
        var network = await TestNetwork.CreateAsync();
        var root = Directory.CreateTempSubdirectory("clp-systest-").FullName;
        network.Record("dir " + root);
        var cluster = new SystemCluster(network, root) { IntervalMs = intervalMs, TimeoutMs = timeoutMs };
        try
        {
            await cluster.StartApiAsync();
            await cluster.CreateObjectsAsync(withDisk, withApp, configure);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartApiAsync()
    {
        var data = Path.Combine(Root, "api");
        Directory.CreateDirectory(data);
        _api = Network.Api.Start("dotnet", [ApiPath, "--urls", ApiUrl], new Dictionary<string, string>
        {
            ["CLP_DATA_DIR"] = data,
            ["CLP_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["DOTNET_NOLOGO"] = "1",
        }, Path.Combine(Root, "api.log"));
        _clientSockets ??= new NetNsSockets(Network.Client.Namespace);
        Admin = new ClpClient(ClientSockets.HttpClient(new Uri(ApiUrl), TimeSpan.FromSeconds(2), new BearerKeyHandler(AdminKey)));
        using var probe = ClientSockets.HttpClient(new Uri(ApiUrl), TimeSpan.FromSeconds(1));
        await WaitForAsync(async () =>
        {
            try
            {
                return (await probe.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "clp-api to answer /healthz", TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until clp-api's controller holds the leader lease (<c>clp_controller_leader 1</c> on /metrics). A
    /// restarted API answers at once but leads only once its predecessor's leader lease ran out, and judges a silent
    /// server down only once the live servers settled, 2 T after it began counting (docs/partition-safety.md, section 6).</summary>
    public async Task WaitControllerLeadsAsync()
    {
        using var probe = ClientSockets.HttpClient(new Uri(ApiUrl), TimeSpan.FromSeconds(1));
        await WaitForAsync(async () =>
        {
            try
            {
                var text = await probe.GetStringAsync("/metrics");
                return text.Split('\n').Any(l => l.Trim() == "clp_controller_leader 1");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "clp-api's controller to lead", TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops clp-api the hard way (SIGKILL by PID), as a crash would.</summary>
    public void KillApi()
    {
        _api?.Kill();
        _api?.WaitForExit(10_000);
    }

    private async Task CreateObjectsAsync(bool withDisk, bool withApp, Action<ClusterSpec, TestNetwork>? configure)
    {
        var servers = Network.Servers;
        var spec = new ClusterSpec
        {
            Heartbeat = new HeartbeatSpec { IntervalMs = IntervalMs, TimeoutMs = TimeoutMs },
            StartupSyncWaitSeconds = 30,
            Interconnects =
            [
                new InterconnectSpec { Name = "ic1", Network = Network.Interconnect1 + ".0/24" },
                new InterconnectSpec { Name = "ic2", Network = Network.Interconnect2 + ".0/24" },
            ],
        };
        configure?.Invoke(spec, Network);
        await Admin.Clusters.CreateClusterAsync(new Core.Model.Cluster { Metadata = new ObjectMeta { Name = Name }, Spec = spec }, autoMonitors: false);
        for (var i = 0; i < servers.Count; i++)
        {
            var host = servers[i];
            await Admin.Servers.CreateServerAsync(Name, new Server
            {
                Metadata = new ObjectMeta { Name = host.Name },
                Spec = new ServerSpec
                {
                    Priority = i,
                    Interconnects =
                    [
                        new ServerInterconnectAddress { Interconnect = "ic1", Address = host.Links[1].Address },
                        new ServerInterconnectAddress { Interconnect = "ic2", Address = host.Links[2].Address },
                    ],
                },
            });
            var key = await Admin.ApiKeys.CreateApiKeyAsync(Name, new ApiKey
            {
                Metadata = new ObjectMeta { Name = "agent-" + host.Name },
                Spec = new ApiKeySpec { Role = ApiKeyRole.Agent, Server = host.Name },
            });
            var file = Path.Combine(Root, $"{host.Name}.key");
            await File.WriteAllTextAsync(file, key.Key);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            _keys[host.Name] = file;
        }

        await Admin.Groups.CreateGroupAsync(Name, new Group
        {
            Metadata = new ObjectMeta { Name = "failover1" },
            Spec = new GroupSpec { FailoverPolicy = new FailoverPolicy { Kind = FailoverPolicyKind.Servers, Servers = [.. servers.Select(s => s.Name)] } },
        });
        await CreateResourceAsync("fip1", "fip", new JsonObject { ["ip"] = FloatingIp }, stopTimeoutSeconds: 1);
        var dependsOn = new List<string> { "fip1" };
        if (withDisk)
        {
            var image = Path.Combine(Root, "shared-disk.img");
            await Sh.CheckedAsync("truncate", "-s", "64M", image);
            LoopDevice = (await Sh.CheckedAsync("losetup", "-f", "--show", image)).Trim();
            Network.Record("loop " + LoopDevice);
            await Sh.CheckedAsync("mkfs.ext4", "-q", LoopDevice);
            await CreateResourceAsync("sd1", "sd", new JsonObject { ["device"] = LoopDevice, ["mountPoint"] = MountPoint, ["fsType"] = "ext4" }, stopTimeoutSeconds: 2);
            dependsOn.Add("sd1");
        }

        WithApp = withApp;
        if (withApp)
        {
            var app = Path.Combine(Root, "app.py");
            await File.WriteAllTextAsync(app, AppSource);
            await CreateResourceAsync("appli1", "appli", new JsonObject
            {
                ["startCommand"] = $"exec python3 {app} {AppPort}",
                ["stopGraceSeconds"] = 1,
            }, stopTimeoutSeconds: 2, dependsOn: [.. dependsOn]);
        }
    }

    public string MountPoint => Path.Combine(Root, "mnt-sd1");

    /// <summary>Whether the group has the test application (appli1).</summary>
    public bool WithApp { get; private set; }

    /// <summary>The group's start path bound, as configured: the sum of its resources' start timeouts (each step is
    /// bounded by its own, one after the other in dependency order).</summary>
    public async Task<int> GroupStartTimeoutSecondsAsync(string group = "failover1") =>
        (await Admin.Resources.ListResourcesAsync(Name)).Items.Where(r => r.Spec.Group == group).Sum(r => r.Spec.StartTimeoutSeconds);

    /// <summary>Stop timeouts are short so that the stop path (appli, then sd) fits the fence budget.</summary>
    private Task<Resource> CreateResourceAsync(string name, string type, JsonObject parameters, int stopTimeoutSeconds, params string[] dependsOn) =>
        Admin.Resources.CreateResourceAsync(Name, new Resource
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new ResourceSpec { Group = "failover1", Type = type, Parameters = parameters, DependsOn = [.. dependsOn], StartTimeoutSeconds = 30, StopTimeoutSeconds = stopTimeoutSeconds },
        }, autoMonitors: false);

    /// <summary>The test application: HTTP on the port, answering every GET with "server=NAME" (CLP_SERVER,
    /// which the appli driver sets), so the client knows who served it.</summary>
    private const string AppSource = """
        import http.server, os, sys
        name = os.environ.get("CLP_SERVER", "unknown").encode()
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b"server=" + name
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
        """;

    /// <summary>Starts clp-agent on the server (in its namespaces) with the test-host power seam: when the
    /// agent ends with the seam's shutdown or power-off code (70, 72) the server dies (tier 4's power off);
    /// with the reboot code (71) it dies, stays off past T + M (a reboot takes longer than the heartbeat
    /// timeout), and powers on again with a new agent; with 4 (isolation action StopClusterService) nothing happens.</summary>
    public void StartAgent(string server)
    {
        var host = Network.Server(server);
        var state = Path.Combine(Root, "state-" + server);
        var agent = _agents[server] = host.Start("dotnet",
        [
            AgentPath, "--api-url", ApiUrl, "--cluster", Name, "--server", server, "--key-file", _keys[server],
            "--state-dir", state, "--system-actions", "test-host", "--test-host-power-file", PowerFile(server),
        ], new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" }, Path.Combine(Root, $"agent-{server}.log"));
        _ = Task.Run(() => PowerSeamAsync(server, agent));
        _ = Task.Run(() => TrackGuardAsync(server, agent));
        if (_guardSeams.Add(server))
        {
            _ = Task.Run(() => GuardPowerSeamAsync(server));
        }
    }

    private readonly HashSet<string> _guardSeams = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The server's state folder (the agent's and its fence guard's).</summary>
    public string StateDirectory(string server) => Path.Combine(Root, "state-" + server);

    /// <summary>The PID of the server's fence guard (clp-agent starts it; its lock file names it), or null.</summary>
    public int? GuardPid(string server)
    {
        // Read with cat, not File.ReadAllText: .NET's FileShare emulation takes an advisory lock, which the
        // guard's exclusive lock on this file refuses.
        var (code, text) = Sh.RunAsync("cat", Path.Combine(StateDirectory(server), "fence-guard.lock")).GetAwaiter().GetResult();
        return code == 0 && int.TryParse(text.Trim(), out var pid) && IsLive(pid) ? pid : null;
    }

    /// <summary>Exists and is not a zombie.</summary>
    public static bool IsLive(int pid) => Clp.Tests.Shared.Proc.IsLive(pid);

    /// <summary>The guard is clp-agent's child, not the harness's: record its identity as soon as it runs, so a later
    /// run sweeps it if this one dies (power off and the network's disposal kill it with every PID of the namespace).</summary>
    private async Task TrackGuardAsync(string server, Process agent)
    {
        for (var i = 0; i < 600 && !_disposed && !agent.HasExited; i++)
        {
            if (GuardPid(server) is { } pid && Sh.Identity(pid) is { } identity)
            {
                Network.Record("pid " + identity);
                return;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The guard's test-host power: it appends "poweroff fence-guard: ..." to the server's power file and
    /// exits; the harness, watching the file, kills the server as for the agent's power off.</summary>
    private async Task GuardPowerSeamAsync(string server)
    {
        var seen = 0;
        while (!_disposed)
        {
            await Task.Delay(50);
            var file = PowerFile(server);
            if (!File.Exists(file))
            {
                continue;
            }

            var lines = await File.ReadAllLinesAsync(file);
            var fresh = lines.Skip(seen).ToList();
            seen = lines.Length;
            if (fresh.Any(l => l.StartsWith("poweroff fence-guard:", StringComparison.Ordinal)) && !_disposed)
            {
                await KillServerAsync(server);
            }
        }
    }

    /// <summary>What the test host's power does when the agent asks for it through the seam.</summary>
    private async Task PowerSeamAsync(string server, Process agent)
    {
        await agent.WaitForExitAsync();
        if (_disposed || _agents.GetValueOrDefault(server) != agent)
        {
            return;
        }

        switch (agent.ExitCode)
        {
            case 4:
                // The isolation action StopClusterService: the agent left for good; the server stays up and nothing
                // (neither clp-agent's own code nor this harness) starts it again.
                break;
            case 70 or 72:
                await KillServerAsync(server);
                break;
            case 71:
                // A real reboot takes longer than the heartbeat timeout: the server stays off past T + M.
                await KillServerAsync(server);
                await Task.Delay(TimeSpan.FromMilliseconds((TimeoutMs * 1.1) + 3000));
                if (!_disposed)
                {
                    await PowerOnServerAsync(server);
                }

                break;
        }
    }

    private volatile bool _disposed;

    /// <summary>The supervised application's PID on the server, from the appli driver's pid file.</summary>
    public int? AppPid(string server)
    {
        var file = Path.Combine(Root, "state-" + server, "appli", "appli1.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Split(' ')[0], out var pid) ? pid : null;
    }

    public void StartAgents()
    {
        foreach (var host in Network.Servers)
        {
            StartAgent(host.Name);
        }
    }

    public Process? Agent(string server) => _agents.GetValueOrDefault(server);

    /// <summary>The file the test-host power seam of the server's agent writes its actions to.</summary>
    public string PowerFile(string server) => Path.Combine(Root, $"power-{server}.txt");

    /// <summary>DESIGN tier 4's server death: links down, every process SIGKILLed, addresses and mounts gone.</summary>
    public async Task KillServerAsync(string server)
    {
        _agents.Remove(server);
        await Network.Server(server).PowerOffAsync();
    }

    /// <summary>Powers a dead server on again (fresh namespaces' state) and starts its agent.</summary>
    public async Task PowerOnServerAsync(string server)
    {
        await Network.Server(server).PowerOnAsync();
        StartAgent(server);
    }

    /// <summary>Ground truth: the servers whose network namespace runs a process of the test application (its
    /// command line names this cluster's app.py), found by scanning /proc, not by asking CLP.</summary>
    public IReadOnlyList<string> AppHolders()
    {
        var app = Path.Combine(Root, "app.py");
        _namespaceInodes ??= Network.Servers.ToDictionary(h => NamespaceInode($"/run/netns/{h.Namespace}"), h => h.Name);
        var holders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(app, StringComparison.Ordinal))
                {
                    continue;
                }

                var link = new FileInfo(Path.Combine(dir, "ns", "net")).LinkTarget;
                if (link is not null && _namespaceInodes.TryGetValue(link, out var server))
                {
                    holders.Add(server);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        return [.. holders];
    }

    private Dictionary<string, string>? _namespaceInodes;

    /// <summary>"net:[inode]", as /proc/PID/ns/net links read, for a named network namespace.</summary>
    private static string NamespaceInode(string path) =>
        $"net:[{Sh.CheckedAsync("stat", "-L", "-c", "%i", path).GetAwaiter().GetResult().Trim()}]";

    /// <summary>One client request to the application through the floating IP, with short timeouts (the
    /// split-brain checker's availability probe): the answering server, or null.</summary>
    public async Task<string?> ProbeAppAsync(TimeSpan timeout)
    {
        try
        {
            _probeClient ??= ClientSockets.HttpClient(new Uri($"http://{FloatingIp}:{AppPort}"), timeout, handlerOptions: h => h.PooledConnectionLifetime = TimeSpan.Zero);
            using var bounded = new CancellationTokenSource(timeout);
            var body = await _probeClient.GetStringAsync("/", bounded.Token);
            return body.StartsWith("server=", StringComparison.Ordinal) ? body[7..] : body;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            return null;
        }
    }

    private HttpClient? _probeClient;

    /// <summary>Ground truth: the servers whose namespace holds the floating IP now.</summary>
    public async Task<IReadOnlyList<string>> FloatingIpHoldersAsync(string? address = null)
    {
        var holders = new List<string>();
        foreach (var host in Network.Servers)
        {
            if ((await host.AddressesAsync()).Contains(address ?? FloatingIp))
            {
                holders.Add(host.Name);
            }
        }

        return holders;
    }

    /// <summary>Ground truth: the servers whose mount namespace has the disk mounted.</summary>
    public IReadOnlyList<string> MountHolders() =>
        [.. Network.Servers.Where(h => h.MountPoints().Contains(MountPoint)).Select(h => h.Name)];

    /// <summary>What the client gets from http://FIP:8080/ (a new connection, 1 s bounds), or null.</summary>
    public async Task<string?> AskAppAsync()
    {
        try
        {
            using var http = ClientSockets.HttpClient(new Uri($"http://{FloatingIp}:{AppPort}"), TimeSpan.FromSeconds(1));
            http.Timeout = TimeSpan.FromSeconds(2);
            var body = await http.GetStringAsync("/");
            return body.StartsWith("server=", StringComparison.Ordinal) ? body[7..] : body;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>Waits until exactly one server holds the floating IP (optionally: not <paramref name="except"/>,
    /// or only <paramref name="only"/>) and returns it.</summary>
    public async Task<string> WaitForHolderAsync(string? except = null, string? only = null)
    {
        string? holder = null;
        await WaitForAsync(async () =>
        {
            var holders = await FloatingIpHoldersAsync();
            holder = holders.Count == 1 ? holders[0] : null;
            return holder is not null && holder != except && (only is null || holder == only);
        }, $"one server{(only is null ? "" : " (" + only + ")")} to hold the floating IP{(except is null ? "" : " other than " + except)}", TimeSpan.FromSeconds(60));
        return holder!;
    }

    /// <summary>Waits until the server's agent reports Online with a fresh lease.</summary>
    public Task WaitOnlineAsync(string server) =>
        WaitForAsync(async () => (await Admin.Leases.GetLeaseAsync(Name, server)).Status?.Revoked != true
                                 && (await Admin.Servers.GetServerAsync(Name, server)).Status?.Phase == ObjectState.Online,
            $"{server}'s agent to hold its lease again", TimeSpan.FromSeconds(60));

    public async Task<Group> GroupAsync(string name = "failover1") => await Admin.Groups.GetGroupAsync(Name, name);

    /// <summary>Creates an operation and waits until it is final.</summary>
    public async Task<Operation> RunAsync(OperationVerb verb, string kind, string name, JsonObject? parameters = null, TimeSpan? bound = null)
    {
        var created = await Admin.Operations.CreateOperationAsync(Name, new Operation
        {
            Spec = new OperationSpec { Verb = verb, Target = new ObjectReference { Kind = kind, Name = name }, Parameters = parameters },
        });
        Operation? current = null;
        await WaitForAsync(async () =>
        {
            current = await Admin.Operations.GetOperationAsync(Name, created.Metadata.Name);
            return current.Status?.Phase is OperationPhase.Succeeded or OperationPhase.Failed;
        }, $"{verb} {kind} {name} to finish", bound ?? TimeSpan.FromSeconds(60));
        return current!;
    }

    /// <summary>Waits until the group is served from <paramref name="server"/> as seen from outside: the
    /// floating IP on that server alone, the disk mounted there alone, the client answered by it.</summary>
    public Task WaitServedByAsync(string server, TimeSpan bound) =>
        WaitForAsync(async () =>
            (await FloatingIpHoldersAsync()).SequenceEqual([server])
            && (LoopDevice is null || MountHolders().SequenceEqual([server]))
            && await AskAppAsync() == server,
            $"failover1 to be served by {server} alone (fip, mount, HTTP answer)", bound);

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {bound.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every fence the agents recorded in their logs (DESIGN rule 3), as (server, lease age at
    /// completion, T, late): <c>late</c> when the agent itself logged completion past T.</summary>
    public IReadOnlyList<(string Server, double AgeMs, double TimeoutMs, bool Late)> RecordedFences()
    {
        var fences = new List<(string, double, double, bool)>();
        foreach (var file in Directory.GetFiles(Root, "agent-*.log"))
        {
            var server = Path.GetFileNameWithoutExtension(file)["agent-".Length..];
            foreach (System.Text.RegularExpressions.Match m in FenceLine().Matches(File.ReadAllText(file)))
            {
                fences.Add((server, double.Parse(m.Groups["age"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture), m.Groups["late"].Success));
            }
        }

        return fences;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Fence completed at lease age (?<age>[0-9.]+) ms(?:(?<late>, after the heartbeat timeout)| \(heartbeat timeout) (?<t>[0-9.]+) ms")]
    private static partial System.Text.RegularExpressions.Regex FenceLine();

    /// <summary>Every release of at least one resource the fence guards logged, as (server, lease age at completion, T,
    /// late). A release with nothing to release (an arm that reached a guard after its deadline, e.g. while the guard
    /// was still starting under load) releases nothing and is left out.</summary>
    public IReadOnlyList<(string Server, double AgeMs, double TimeoutMs, bool Late)> GuardReleases()
    {
        var releases = new List<(string, double, double, bool)>();
        foreach (var host in Network.Servers)
        {
            var file = Path.Combine(StateDirectory(host.Name), "fence-guard.log");
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (System.Text.RegularExpressions.Match m in GuardLine().Matches(File.ReadAllText(file)).Where(m => m.Groups["count"].Value != "0"))
            {
                releases.Add((host.Name, double.Parse(m.Groups["age"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture), m.Groups["late"].Success));
            }
        }

        return releases;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Fence guard released incarnation [0-9]+'s (?<count>[0-9]+) resources at lease age (?<age>[0-9.]+) ms(?:(?<late>, after the heartbeat timeout)| \(heartbeat timeout) (?<t>[0-9.]+) ms")]
    private static partial System.Text.RegularExpressions.Regex GuardLine();

    /// <summary>The agents' log lines containing <paramref name="text"/>, prefixed with the server.</summary>
    public IReadOnlyList<string> LogLines(string text) =>
    [
        .. Directory.GetFiles(Root, "agent-*.log").SelectMany(f => File.ReadAllLines(f)
            .Where(l => l.Contains(text, StringComparison.Ordinal))
            .Select(l => Path.GetFileNameWithoutExtension(f)["agent-".Length..] + ": " + l)),
    ];

    /// <summary>The agent logs, the fence guards' logs and the API log, for a failing test's message.</summary>
    public string Logs()
    {
        var guardLogs = Network.Servers.Select(h => Path.Combine(StateDirectory(h.Name), "fence-guard.log")).Where(File.Exists);
        var parts = Directory.GetFiles(Root, "*.log").Concat(guardLogs).Select(f => $"==== {Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)}\n{Tail(f)}");
        return string.Join("\n", parts);
    }

    private static string Tail(string file)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 40)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _probeClient?.Dispose();
        _clientSockets?.Dispose();
        await Network.DisposeAsync();
    }
}
