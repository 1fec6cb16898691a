using System.Diagnostics;

namespace Clp.SystemTier.Tests;

/// <summary>DESIGN tier 4's test network, made fresh per test: a "switch" namespace holding three bridges
/// (public, interconnect 1, interconnect 2); the servers s1..s3 with a link on each network; clp-api and a
/// client on the public network only. Every server also has its own mount namespace, held by a holder
/// process for as long as the server is "powered on"; its agent, applications and mounts live in it.
/// The /24s and names are unique per run (they carry this process's PID) and recorded in a state file
/// under /run/clp-systest, so a later run sweeps what a killed run left.</summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private const string StateDirectory = "/run/clp-systest";
    private readonly string _prefix;
    private readonly string _stateFile;
    private readonly Dictionary<string, TestHost> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _namespaces = [];

    private TestNetwork(int run)
    {
        Run = run;
        _prefix = $"clps{run}";
        _stateFile = System.IO.Path.Combine(StateDirectory, $"{Environment.ProcessId}-{run}.state");
        var octet = 10 + (Environment.ProcessId % 29 * 3);
        Public = $"10.231.{octet}";
        Interconnect1 = $"10.231.{octet + 1}";
        Interconnect2 = $"10.231.{octet + 2}";
    }

    public int Run { get; }

    /// <summary>The public /24's first three octets: clients, floating IPs (.100 up), clp-api (.2).</summary>
    public string Public { get; }

    public string Interconnect1 { get; }

    public string Interconnect2 { get; }

    public string Switch => _prefix + "-sw";

    public TestHost Api => _hosts["api"];

    public TestHost Client => _hosts["client"];

    public IReadOnlyList<TestHost> Servers => [.. _hosts.Values.Where(h => h.IsServer).OrderBy(h => h.Name, StringComparer.Ordinal)];

    public TestHost Server(string name) => _hosts[name];

    public string ApiAddress => Public + ".2";

    /// <summary>A floating address on the public network nobody holds.</summary>
    public string FloatingIp(int i) => $"{Public}.{100 + i}";

    private static int _runs;

    public static async Task<TestNetwork> CreateAsync(int servers = 3)
    {
        await SweepAsync();
        var net = new TestNetwork((Environment.ProcessId % 10000 * 10) + Interlocked.Increment(ref _runs));
        try
        {
            Directory.CreateDirectory(StateDirectory);
            await net.AddNamespaceAsync(net.Switch);
            foreach (var bridge in new[] { "br-pub", "br-ic1", "br-ic2" })
            {
                await Sh.Ip("-n", net.Switch, "link", "add", bridge, "type", "bridge");
                await Sh.Ip("-n", net.Switch, "link", "set", bridge, "up");
            }

            await net.AddHostAsync("api", isServer: false, (net.Public + ".2", "br-pub"));
            await net.AddHostAsync("client", isServer: false, (net.Public + ".50", "br-pub"));
            for (var i = 1; i <= servers; i++)
            {
                await net.AddHostAsync($"s{i}", isServer: true,
                    ($"{net.Public}.{10 + i}", "br-pub"), ($"{net.Interconnect1}.{10 + i}", "br-ic1"), ($"{net.Interconnect2}.{10 + i}", "br-ic2"));
            }

            return net;
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
    }

    private async Task AddNamespaceAsync(string name)
    {
        _namespaces.Add(name);
        Record($"ns {name}");
        await Sh.Ip("netns", "add", name);
        await Sh.Ip("-n", name, "link", "set", "lo", "up");
    }

    private async Task AddHostAsync(string name, bool isServer, params (string Address, string Bridge)[] links)
    {
        var ns = $"{_prefix}-{name}";
        await AddNamespaceAsync(ns);
        var host = new TestHost(this, name, ns, isServer, [.. links.Select((l, i) => new TestLink($"eth{i}", $"{name}-{l.Bridge[3..]}", l.Address, l.Bridge))]);
        _hosts[name] = host;
        foreach (var link in host.Links)
        {
            await Sh.Ip("-n", Switch, "link", "add", link.SwitchSide, "type", "veth", "peer", "name", link.Device, "netns", ns);
            await Sh.Ip("-n", Switch, "link", "set", link.SwitchSide, "master", link.Bridge);
            await Sh.Ip("-n", Switch, "link", "set", link.SwitchSide, "up");
        }

        await host.PowerOnAsync();
    }

    /// <summary>Appends a line to this run's state file (namespaces, process identities, loop devices).</summary>
    internal void Record(string line) => File.AppendAllText(_stateFile, line + "\n");

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            host.KillAll();
        }

        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            await Sh.RunAsync("ip", "netns", "del", ns);
        }

        await CleanUpRecordedAsync(_stateFile);
    }

    /// <summary>Sweeps what runs of dead test processes left: their processes (by PID and start time), loop
    /// devices and namespaces.</summary>
    private static async Task SweepAsync()
    {
        if (!Directory.Exists(StateDirectory))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(StateDirectory, "*.state"))
        {
            var pid = int.TryParse(System.IO.Path.GetFileName(file).Split('-')[0], out var p) ? p : 0;
            if (pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                await CleanUpRecordedAsync(file);
            }
        }
    }

    private static async Task CleanUpRecordedAsync(string stateFile)
    {
        if (!File.Exists(stateFile))
        {
            return;
        }

        var lines = File.ReadAllLines(stateFile);
        foreach (var line in lines.Where(l => l.StartsWith("pid ", StringComparison.Ordinal)))
        {
            var identity = line[4..];
            var pid = int.Parse(identity.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            if (Sh.Identity(pid) == identity)
            {
                try
                {
                    Process.GetProcessById(pid).Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Gone meanwhile.
                }
            }
        }

        foreach (var line in lines.Where(l => l.StartsWith("loop ", StringComparison.Ordinal)))
        {
            await Sh.RunAsync("losetup", "-d", line[5..]);
        }

        foreach (var line in lines.Where(l => l.StartsWith("ns ", StringComparison.Ordinal)).Reverse())
        {
            await Sh.RunAsync("ip", "netns", "del", line[3..]);
        }

        // CLP_SYSTEST_KEEP=1 keeps each run's folder (logs, state) for a look afterwards.
        foreach (var line in lines.Where(l => l.StartsWith("dir ", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("CLP_SYSTEST_KEEP") != "1"))
        {
            try
            {
                Directory.Delete(line[4..], recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }

        File.Delete(stateFile);
    }
}

/// <summary>One link of a test host: its device inside the host, its peer on the switch, its address.</summary>
public sealed record TestLink(string Device, string SwitchSide, string Address, string Bridge);
