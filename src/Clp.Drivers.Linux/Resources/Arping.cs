using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The two arping programs Linux distributions ship: Thomas Habets' (Debian/Ubuntu package
/// <c>arping</c>) and iputils' (<c>iputils-arping</c>, RHEL). Their options differ.</summary>
internal enum ArpingFlavour
{
    Habets,
    Iputils,
}

/// <summary>Duplicate-address probes and gratuitous ARP through the installed <c>arping</c>.</summary>
/// <remarks>Duplicate detection sends one ARP request from 0.0.0.0 (RFC 5227 probe) and takes any reply as a
/// conflict. Habets: <c>arping -r -0 -c 1 -w SEC -i IF IP</c> (exit 0 and the replier's MAC = conflict, exit 1 =
/// none). iputils: <c>arping -D -c 1 -w SEC -I IF IP</c> (exit 0 = none). Gratuitous ARP: Habets
/// <c>arping -q -U -S IP -c N -W 0.2 -i IF IP</c>, iputils <c>arping -U -c N -I IF IP</c>. The iputils forms are
/// written from its manual; this project's machines have Habets' arping, which is the tested one.</remarks>
internal sealed partial class Arping(string path, ArpingFlavour flavour)
{
    private static readonly Lazy<Task<Arping?>> Installed = new(DetectAsync);

    public ArpingFlavour Flavour => flavour;

    /// <summary>The installed arping, or null when there is none.</summary>
    public static Task<Arping?> FindAsync() => Installed.Value;

    /// <summary>Asks whether another host answers for <paramref name="ip"/> within <paramref name="timeout"/>.</summary>
    /// <returns>The MAC address of the host that answered, or null when none did.</returns>
    /// <exception cref="DriverException">arping itself failed (e.g. no such device).</exception>
    public async Task<string?> FindHolderAsync(string device, IPAddress ip, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        string[] arguments = flavour == ArpingFlavour.Habets
            ? ["-r", "-0", "-c", "1", "-w", seconds, "-i", device, ip.ToString()]
            : ["-D", "-c", "1", "-w", seconds, "-I", device, ip.ToString()];
        // arping ends itself at -w; the extra second only guards against one that hangs.
        using var guard = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(1), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Token);
        CommandResult result;
        try
        {
            result = await Command.RunAsync(path, arguments, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DriverException($"the conflict check for {ip} (arping) did not end within {timeout.TotalMilliseconds + 1000:0} ms");
        }

        var mac = MacAddress().Match(result.StandardOutput);
        return (flavour, result.ExitCode) switch
        {
            (ArpingFlavour.Habets, 0) when mac.Success => mac.Value.ToLowerInvariant(),
            (ArpingFlavour.Habets, 1) => null,
            (ArpingFlavour.Iputils, 0) => null,
            (ArpingFlavour.Iputils, 1) when mac.Success => mac.Value.ToLowerInvariant(),
            _ => throw new DriverException($"the conflict check for {ip} failed: {path} {string.Join(' ', arguments)} "
                + $"exited with {result.ExitCode}: {result.Summary}"),
        };
    }

    /// <summary>Sends <paramref name="count"/> gratuitous ARPs for <paramref name="ip"/>, 20 ms apart, without
    /// waiting for replies (none come): the activation is not held up (Habets' arping with a deadline
    /// waited it out, 200 ms per activation).</summary>
    /// <returns>Null when they were sent, else what went wrong.</returns>
    public async Task<string?> AnnounceAsync(string device, IPAddress ip, int count, CancellationToken cancellationToken)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        string[] arguments = flavour == ArpingFlavour.Habets
            ? ["-q", "-U", "-S", ip.ToString(), "-c", n, "-W", "0.02", "-i", device, ip.ToString()]
            : ["-q", "-U", "-c", n, "-I", device, ip.ToString()];
        var result = await Command.RunAsync(path, arguments, cancellationToken);
        // Nobody replies to a gratuitous ARP: Habets' arping then exits 1, which is success here.
        return result.ExitCode == 0 || (flavour == ArpingFlavour.Habets && result.ExitCode == 1)
            ? null
            : $"{path} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Summary}";
    }

    /// <summary>Tells the flavour from the version banner (<c>arping -V</c>: iputils names itself; Habets' prints
    /// its usage, which names him).</summary>
    internal static ArpingFlavour FlavourOf(string banner) =>
        banner.Contains("iputils", StringComparison.OrdinalIgnoreCase) ? ArpingFlavour.Iputils : ArpingFlavour.Habets;

    private static async Task<Arping?> DetectAsync()
    {
        if (ToolPath.Find("arping") is not { } path)
        {
            return null;
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var banner = await Command.RunAsync(path, ["-V"], limit.Token);
        return new Arping(path, FlavourOf(banner.StandardOutput + banner.StandardError));
    }

    [GeneratedRegex("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")]
    private static partial Regex MacAddress();
}
