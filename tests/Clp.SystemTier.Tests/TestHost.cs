using System.Diagnostics;

namespace Clp.SystemTier.Tests;

/// <summary>One host of the test network: a network namespace and, while it is powered on, a mount
/// namespace held by a holder process. <see cref="PowerOffAsync"/> is DESIGN tier 4's server death: its links
/// go down, every process in it is SIGKILLed, its addresses are flushed and its mounts vanish with its
/// mount namespace.</summary>
public sealed class TestHost
{
    private readonly TestNetwork _network;
    private Process? _holder;

    internal TestHost(TestNetwork network, string name, string ns, bool isServer, IReadOnlyList<TestLink> links)
    {
        _network = network;
        Name = name;
        Namespace = ns;
        IsServer = isServer;
        Links = links;
    }

    public string Name { get; }

    public string Namespace { get; }

    public bool IsServer { get; }

    public IReadOnlyList<TestLink> Links { get; }

    public string Address => Links[0].Address;

    public bool PoweredOn => _holder is { HasExited: false };

    /// <summary>Brings the links up with their addresses and starts a fresh mount namespace.</summary>
    public async Task PowerOnAsync()
    {
        foreach (var link in Links)
        {
            await Sh.RunAsync("ip", "-n", Namespace, "addr", "add", link.Address + "/24", "dev", link.Device);
            await Sh.Ip("-n", Namespace, "link", "set", link.Device, "up");
            await Sh.Ip("-n", _network.Switch, "link", "set", link.SwitchSide, "up");
        }

        var info = new ProcessStartInfo("ip") { RedirectStandardInput = true };
        foreach (var a in new[] { "netns", "exec", Namespace, "unshare", "--mount", "--propagation", "private", "sleep", "infinity" })
        {
            info.ArgumentList.Add(a);
        }

        _holder = Process.Start(info)!;
        Track(_holder);
        // unshare execs sleep once the mount namespace exists: wait for that.
        for (var i = 0; i < 200 && MountNamespace(_holder.Id) == MountNamespace(Environment.ProcessId); i++)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>The server's death: links down, every process SIGKILLed, addresses and mounts gone.</summary>
    public async Task PowerOffAsync()
    {
        foreach (var link in Links)
        {
            await Sh.Ip("-n", _network.Switch, "link", "set", link.SwitchSide, "down");
        }

        KillAll();
        foreach (var link in Links)
        {
            await Sh.Ip("-n", Namespace, "addr", "flush", "dev", link.Device);
            await Sh.Ip("-n", Namespace, "link", "set", link.Device, "down");
        }
    }

    /// <summary>Drops every packet this host sends to <paramref name="address"/> (nftables in its namespace):
    /// the host is cut from that one address, everything else works.</summary>
    public async Task BlockAsync(string address)
    {
        await Sh.RunAsync("ip", "netns", "exec", Namespace, "nft", "add", "table", "inet", "clp_test");
        await Sh.RunAsync("ip", "netns", "exec", Namespace, "nft", "add", "chain", "inet", "clp_test", "out", "{", "type", "filter", "hook", "output", "priority", "0", ";", "}");
        var (code, text) = await Sh.RunAsync("ip", "netns", "exec", Namespace, "nft", "add", "rule", "inet", "clp_test", "out", "ip", "daddr", address, "drop");
        if (code != 0)
        {
            throw new InvalidOperationException($"nft could not block {address} in {Namespace}: {text}");
        }
    }

    /// <summary>Removes what <see cref="BlockAsync"/> added.</summary>
    public Task UnblockAsync() => Sh.RunAsync("ip", "netns", "exec", Namespace, "nft", "delete", "table", "inet", "clp_test");

    /// <summary>Cuts one link (both directions) at the switch, or heals it.</summary>
    public Task SetLinkAsync(int index, bool up) => Sh.Ip("-n", _network.Switch, "link", "set", Links[index].SwitchSide, up ? "up" : "down");

    /// <summary>SIGKILLs every process in this host's network namespace, by PID.</summary>
    public void KillAll()
    {
        foreach (var pid in Pids())
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }

        _holder?.WaitForExit(5000);
    }

    /// <summary>The PIDs of every process in this host's network namespace (ip netns pids).</summary>
    public IReadOnlyList<int> Pids()
    {
        var (code, output) = Sh.RunAsync("ip", "netns", "pids", Namespace).GetAwaiter().GetResult();
        return code != 0 ? [] : [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l.Trim(), System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Starts a process inside this host (its network and mount namespaces).</summary>
    public Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? logFile = null)
    {
        if (_holder is null || _holder.HasExited)
        {
            throw new InvalidOperationException($"{Name} is powered off");
        }

        var info = new ProcessStartInfo("nsenter") { RedirectStandardOutput = logFile is not null, RedirectStandardError = logFile is not null };
        foreach (var a in new[] { "-t", _holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "-n", "--", file })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info)!;
        Track(process);
        if (logFile is not null)
        {
            var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>Runs a command inside this host to its end.</summary>
    public async Task<(int Code, string Output)> ExecAsync(string file, params string[] arguments)
    {
        if (_holder is null || _holder.HasExited)
        {
            return await Sh.RunAsync("ip", ["netns", "exec", Namespace, file, .. arguments]);
        }

        return await Sh.RunAsync("nsenter", ["-t", _holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "-n", "--", file, .. arguments]);
    }

    /// <summary>Ground truth: the IPv4 addresses this host holds now (ip -n NS addr).</summary>
    public async Task<IReadOnlyList<string>> AddressesAsync()
    {
        var (_, text) = await Sh.RunAsync("ip", "-n", Namespace, "-o", "-4", "addr", "show");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => Array.IndexOf(f, "inet") >= 0)
            .Select(f => f[Array.IndexOf(f, "inet") + 1].Split('/')[0])];
    }

    /// <summary>Ground truth: the mount points of this host's mount namespace (its holder's mountinfo).</summary>
    public IReadOnlyList<string> MountPoints()
    {
        if (_holder is null || _holder.HasExited)
        {
            return [];
        }

        try
        {
            return [.. File.ReadAllLines($"/proc/{_holder.Id}/mountinfo").Select(l => l.Split(' ')[4])];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private void Track(Process process)
    {
        if (Sh.Identity(process.Id) is { } identity)
        {
            _network.Record("pid " + identity);
        }
    }

    private static string? MountNamespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
