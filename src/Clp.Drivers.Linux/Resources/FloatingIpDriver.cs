using System.Net;
using System.Net.Sockets;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;
using Microsoft.Extensions.Logging;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>fip</c> driver: adds an IPv4 address to a network device (<c>ip addr add IP/PREFIX dev IF</c>)
/// after checking that no other host answers for it, then announces it with gratuitous ARP.</summary>
/// <remarks>
/// The device is <c>interface</c> or the device whose IPv4 network contains the address, and the prefix length
/// is that network's (<see cref="FloatingIpPlacement"/>). With <c>conflictCheck</c> (default true) one RFC 5227
/// probe waits <c>conflictCheckTimeoutMs</c> (default 100) for an answer; an answer fails the activation, and so
/// does a missing arping (the check cannot be skipped silently). After the address is added, <c>arpCount</c>
/// (default 1) gratuitous ARPs update the neighbours' caches; when arping is missing or fails that is logged and
/// the activation still succeeds. Deactivation deletes the address (absent = success); the probe reads the
/// device's addresses. IPv6 addresses are refused for now.
/// Failure mode operators must know: a host that holds the address but does not answer ARP within the budget
/// (firewalled, or slower than conflictCheckTimeoutMs) is not detected.
/// </remarks>
public sealed partial class FloatingIpDriver(LinuxDriverOptions options) : IResourceDriver
{
    private readonly ILogger _log = options.Loggers.CreateLogger<FloatingIpDriver>();

    // Which arping is installed is found once, at construction, so the conflict check does not pay for it.
    private readonly Task<Arping?> _arping = Arping.FindAsync();

    public string Type => "fip";

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var place = FloatingIpPlacement.Choose(await AddressesAsync(cancellationToken), ip, context.OptionalString("interface"));
        if (place.Present)
        {
            return;
        }

        if (context.Boolean("conflictCheck", true))
        {
            var arping = await _arping
                ?? throw new DriverException($"fip {context.Resource}: the conflict check for {ip} needs arping, which is not installed "
                    + "(install it, or set conflictCheck to false)");
            var budget = TimeSpan.FromMilliseconds(context.Integer("conflictCheckTimeoutMs", 100));
            if (await arping.FindHolderAsync(place.Interface, ip, budget, options.Time, cancellationToken) is { } mac)
            {
                throw new DriverException($"fip {context.Resource}: address {ip} already answers on the network (held by MAC {mac})");
            }
        }

        options.Gate.Check($"fip {context.Resource}", $"ip addr add {ip}/{place.PrefixLength} dev {place.Interface}");
        var result = await Command.RunAsync("ip", ["addr", "add", $"{ip}/{place.PrefixLength}", "dev", place.Interface], cancellationToken);
        if (!result.Succeeded)
        {
            throw new DriverException($"fip {context.Resource}: ip addr add {ip}/{place.PrefixLength} dev {place.Interface} failed: {result.Summary}");
        }

        LogAdded(context.Resource, ip.ToString(), place.PrefixLength, place.Interface);
        await AnnounceAsync(context, ip, place.Interface, cancellationToken);
    }

    public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var requested = context.OptionalString("interface");
        foreach (var held in (await AddressesAsync(cancellationToken)).Where(a => a.Address.Equals(ip) && (requested is null || a.Interface == requested)))
        {
            var result = await Command.RunAsync("ip", ["addr", "del", $"{ip}/{held.PrefixLength}", "dev", held.Interface], cancellationToken);
            // A concurrent removal is success too: what counts is that the address is gone.
            if (!result.Succeeded && (await AddressesAsync(cancellationToken)).Any(a => a.Address.Equals(ip) && a.Interface == held.Interface))
            {
                throw new DriverException($"fip {context.Resource}: ip addr del {ip}/{held.PrefixLength} dev {held.Interface} failed: {result.Summary}");
            }

            LogRemoved(context.Resource, ip.ToString(), held.Interface);
        }
    }

    public async Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var requested = context.OptionalString("interface");
        var holder = (await AddressesAsync(cancellationToken)).FirstOrDefault(a => a.Address.Equals(ip) && (requested is null || a.Interface == requested));
        return holder is null
            ? ProbeResult.Failed($"{ip} is not on {requested ?? "any device"}")
            : ProbeResult.Ok($"{ip}/{holder.PrefixLength} is on {holder.Interface}");
    }

    private async Task AnnounceAsync(ResourceContext context, IPAddress ip, string device, CancellationToken cancellationToken)
    {
        var count = context.Integer("arpCount", 1);
        if (count <= 0)
        {
            return;
        }

        var arping = await _arping;

        // A gratuitous ARP moves the address's traffic here: not under a lease that is no longer fresh.
        options.Gate.Check($"fip {context.Resource}", $"arping (gratuitous) {ip} on {device}");
        var problem = arping is null ? "arping is not installed" : await arping.AnnounceAsync(device, ip, count, cancellationToken);
        if (problem is not null)
        {
            LogAnnounceFailed(context.Resource, ip.ToString(), problem);
        }
    }

    private static IPAddress Address(ResourceContext context)
    {
        var text = context.RequiredString("ip");
        if (!IPAddress.TryParse(text, out var ip))
        {
            throw new DriverException($"fip {context.Resource}: ip {text} is not an IP address");
        }

        return ip.AddressFamily == AddressFamily.InterNetwork
            ? ip
            : throw new DriverException($"fip {context.Resource}: IPv6 floating addresses ({text}) are not supported by the Linux "
                + "fip driver yet (no unsolicited neighbour advertisement or IPv6 duplicate detection); use an IPv4 address");
    }

    private static async Task<IReadOnlyList<InterfaceAddress>> AddressesAsync(CancellationToken cancellationToken) =>
        InterfaceAddress.ParseAll((await Command.RunCheckedAsync("ip", ["-o", "-4", "addr", "show"], cancellationToken)).StandardOutput);

    [LoggerMessage(Level = LogLevel.Information, Message = "fip {Resource}: added {Ip}/{Prefix} to {Device}")]
    private partial void LogAdded(string resource, string ip, int prefix, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "fip {Resource}: removed {Ip} from {Device}")]
    private partial void LogRemoved(string resource, string ip, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fip {Resource}: {Ip} is active but no gratuitous ARP was sent ({Problem}); neighbours learn it when their caches expire")]
    private partial void LogAnnounceFailed(string resource, string ip, string problem);
}
