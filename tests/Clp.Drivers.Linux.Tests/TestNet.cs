namespace Clp.Drivers.Linux.Tests;

/// <summary>Two test hosts ("a" and "b") in network namespaces of their own, joined by a veth pair on a
/// /24 of 10.231.0.0/16 that no other live test uses: a = .1, b = .2. Disposing deletes both namespaces
/// (which deletes the veth). Names carry this process's PID, so a later run sweeps what a killed run left.</summary>
public sealed class TestNet : IAsyncDisposable
{
    private const string Prefix = "clpd-";
    private static int _counter;
    private static readonly Lock SweepLock = new();
    private static bool _swept;

    private TestNet(int n, int octet)
    {
        var pid = Environment.ProcessId;
        A = $"{Prefix}{pid}-{n}-a";
        B = $"{Prefix}{pid}-{n}-b";
        IfA = $"vd{pid % 10000}x{n}a";
        IfB = $"vd{pid % 10000}x{n}b";
        Subnet = $"10.231.{octet}";
    }

    /// <summary>Namespace of host a (address <see cref="AddressA"/> on <see cref="IfA"/>).</summary>
    public string A { get; }

    public string B { get; }

    public string IfA { get; }

    public string IfB { get; }

    /// <summary>The first three octets, e.g. <c>10.231.142</c>.</summary>
    public string Subnet { get; }

    public string AddressA => Subnet + ".1";

    public string AddressB => Subnet + ".2";

    /// <summary>An address of the subnet nobody holds (for floating IPs): <c>.100 + i</c>.</summary>
    public string Free(int i = 0) => $"{Subnet}.{100 + i}";

    public static async Task<TestNet> CreateAsync()
    {
        Sweep();
        var n = Interlocked.Increment(ref _counter);
        var octet = 100 + ((Environment.ProcessId * 7) + n) % 150;
        var net = new TestNet(n, octet);
        try
        {
            await Ip("netns", "add", net.A);
            await Ip("netns", "add", net.B);
            await Ip("-n", net.A, "link", "set", "lo", "up");
            await Ip("-n", net.B, "link", "set", "lo", "up");
            await Ip("-n", net.A, "link", "add", net.IfA, "type", "veth", "peer", "name", net.IfB, "netns", net.B);
            await Ip("-n", net.A, "addr", "add", net.AddressA + "/24", "dev", net.IfA);
            await Ip("-n", net.B, "addr", "add", net.AddressB + "/24", "dev", net.IfB);
            await Ip("-n", net.A, "link", "set", net.IfA, "up");
            await Ip("-n", net.B, "link", "set", net.IfB, "up");
            return net;
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>ip</c> with the arguments; throws with its stderr when it fails.</summary>
    public static async Task<string> Ip(params string[] arguments)
    {
        var (code, output) = await RunAsync("ip", arguments);
        return code == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {output}");
    }

    /// <summary>Runs a command inside namespace <paramref name="ns"/>; returns its exit code and output.</summary>
    public static Task<(int Code, string Output)> ExecAsync(string ns, params string[] command) =>
        RunAsync("ip", ["netns", "exec", ns, .. command]);

    public static Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments) => Sh.RunAsync(file, [.. arguments]);

    /// <summary>The addresses namespace <paramref name="ns"/> holds (ground truth, from outside CLP).</summary>
    public static async Task<IReadOnlyList<string>> AddressesAsync(string ns)
    {
        var text = await Ip("-n", ns, "-o", "-4", "addr", "show");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => f[Array.IndexOf(f, "inet") + 1].Split('/')[0])];
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("ip", ["netns", "del", A]);
        await RunAsync("ip", ["netns", "del", B]);
    }

    /// <summary>Deletes the namespaces of earlier test processes that no longer run.</summary>
    private static void Sweep()
    {
        lock (SweepLock)
        {
            if (_swept)
            {
                return;
            }

            _swept = true;
            if (!Directory.Exists("/run/netns"))
            {
                return;
            }

            foreach (var path in Directory.GetFiles("/run/netns", Prefix + "*"))
            {
                var name = System.IO.Path.GetFileName(path);
                var pid = int.TryParse(name[Prefix.Length..].Split('-')[0], out var p) ? p : 0;
                if (pid != 0 && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
                {
                    RunAsync("ip", ["netns", "del", name]).GetAwaiter().GetResult();
                }
            }
        }
    }
}
