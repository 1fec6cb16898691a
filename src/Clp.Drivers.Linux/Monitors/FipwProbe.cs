using System.Net;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>fipw</c>: the target fip's address is held by a device of this server (the fip's interface, when
/// it names one), is usable (IPv6 duplicate detection did not fail), and that device's link is up.</summary>
/// <remarks>Reads the addresses with <c>ip -o addr show</c> and the link with <see cref="LinkState"/>, in the
/// agent's network namespace.</remarks>
internal sealed class FipwProbe : Probe
{
    public override string Type => "fipw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var fip = ProbeParameters.ForTarget("fip", context.Target, context.TargetParameters);
        var text = fip.String("ip");
        if (!IPAddress.TryParse(text, out var ip))
        {
            throw new ArgumentException($"fip {context.Target}: ip {text} is not an IP address");
        }

        var device = fip.OptionalString("interface");
        var listing = await Command.RunCheckedAsync("ip", ["-o", "addr", "show"], cancellationToken);
        return Check(context.Target!, ip, device, InterfaceAddress.ParseAll(listing.StandardOutput), d => LinkState.Read(d));
    }

    /// <summary>The verdict given the addresses held here and a reader of device links.</summary>
    public static ProbeResult Check(string fip, IPAddress ip, string? device, IReadOnlyList<InterfaceAddress> addresses, Func<string, LinkState?> links)
    {
        var held = addresses.Where(a => a.Address.Equals(ip)).ToList();
        if (held.Count == 0)
        {
            return ProbeResult.Failed($"fip {fip}: {ip} is not on any device here");
        }

        var entry = device is null ? held[0] : held.FirstOrDefault(a => a.Interface == device);
        if (entry is null)
        {
            return ProbeResult.Failed($"fip {fip}: {ip} is on {string.Join(", ", held.Select(a => a.Interface))}, not on {device}");
        }

        if (!entry.Usable)
        {
            return ProbeResult.Failed($"fip {fip}: {ip} on {entry.Interface} is not usable (IPv6 duplicate detection still running or failed)");
        }

        var link = links(entry.Interface);
        return link switch
        {
            null => ProbeResult.Failed($"fip {fip}: device {entry.Interface} vanished"),
            { IsUp: false } => ProbeResult.Failed($"fip {fip}: {ip} is on {entry.Interface} but its link is down ({link.Describe()})"),
            _ => ProbeResult.Ok($"fip {fip}: {ip} is on {entry.Interface}, link up"),
        };
    }
}
