using System.Net;
using System.Net.Sockets;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Network;
using Microsoft.Extensions.Logging;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>fip</c> driver: adds an IPv4 address to a network device (what <c>ip addr add IP/PREFIX dev IF</c>
/// does) after checking that no other host answers for it, then announces it with gratuitous ARP.</summary>
/// <remarks>
/// The device is <c>interface</c> or the device whose IPv4 network contains the address, and the prefix length
/// is that network's (<see cref="FloatingIpPlacement"/>). With <c>conflictCheck</c> (default true) one RFC 5227
/// probe waits <c>conflictCheckTimeoutMs</c> (default 100) for an answer (<see cref="ArpProbe"/>); an answer fails
/// the activation, and so does a probe that cannot be sent (the check is never skipped silently). After the
/// address is added, <c>arpCount</c>
/// (default 1) gratuitous ARPs, 20 ms apart, update the neighbours' caches; when that fails it is logged and the
/// activation still succeeds. Deactivation deletes the address (absent = success); the probe reads the device's
/// addresses. IPv6 addresses are refused for now.
/// No process is started: the addresses are read, added and deleted over rtnetlink (<see cref="RouteNetlink"/>),
/// and the probe and the announcement go through link-layer sockets (<see cref="ArpProbe"/>,
/// <see cref="ArpAnnouncer"/>), because every exec sat on the outage path of a move or failover.
/// Failure mode operators must know: a host that holds the address but does not answer ARP within the budget
/// (firewalled, or slower than conflictCheckTimeoutMs) is not detected.
/// </remarks>
public sealed partial class FloatingIpDriver(LinuxDriverOptions options) : IResourceDriver
{
    private readonly ILogger _log = options.Loggers.CreateLogger<FloatingIpDriver>();

    /// <summary>Between two gratuitous ARPs when arpCount is above 1.</summary>
    internal static readonly TimeSpan AnnounceSpacing = TimeSpan.FromMilliseconds(20);

    public string Type => "fip";

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var place = FloatingIpPlacement.Choose(Addresses(cancellationToken), ip, context.OptionalString("interface"));
        if (place.Present)
        {
            return;
        }

        if (context.Boolean("conflictCheck", true))
        {
            var budget = TimeSpan.FromMilliseconds(context.Integer("conflictCheckTimeoutMs", 100));
            if (await ArpProbe.FindHolderAsync(place.Interface, ip, budget, options.Time, cancellationToken) is { } mac)
            {
                throw new DriverException($"fip {context.Resource}: address {ip} already answers on the network (held by MAC {mac})");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        options.Gate.Check($"fip {context.Resource}", $"add {ip}/{place.PrefixLength} to {place.Interface}");
        var error = RouteNetlink.AddAddress(place.Interface, ip, place.PrefixLength);
        if (error != 0)
        {
            throw new DriverException($"fip {context.Resource}: adding {ip}/{place.PrefixLength} to {place.Interface} failed: {NetNative.Describe(error)}");
        }

        LogAdded(context.Resource, ip.ToString(), place.PrefixLength, place.Interface);
        await AnnounceAsync(context, ip, place.Interface, cancellationToken);
    }

    public Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var requested = context.OptionalString("interface");
        foreach (var held in Addresses(cancellationToken).Where(a => a.Address.Equals(ip) && (requested is null || a.Interface == requested)))
        {
            var error = RouteNetlink.DeleteAddress(held.Interface, ip, held.PrefixLength);
            // A concurrent removal is success too: what counts is that the address is gone.
            if (error != 0 && Addresses(cancellationToken).Any(a => a.Address.Equals(ip) && a.Interface == held.Interface))
            {
                throw new DriverException($"fip {context.Resource}: deleting {ip}/{held.PrefixLength} from {held.Interface} failed: {NetNative.Describe(error)}");
            }

            LogRemoved(context.Resource, ip.ToString(), held.Interface);
        }

        return Task.CompletedTask;
    }

    public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var ip = Address(context);
        var requested = context.OptionalString("interface");
        var holder = Addresses(cancellationToken).FirstOrDefault(a => a.Address.Equals(ip) && (requested is null || a.Interface == requested));
        return Task.FromResult(holder is null
            ? ProbeResult.Failed($"{ip} is not on {requested ?? "any device"}")
            : ProbeResult.Ok($"{ip}/{holder.PrefixLength} is on {holder.Interface}"));
    }

    private async Task AnnounceAsync(ResourceContext context, IPAddress ip, string device, CancellationToken cancellationToken)
    {
        var count = context.Integer("arpCount", 1);
        if (count <= 0)
        {
            return;
        }

        // A gratuitous ARP moves the address's traffic here: not under a lease that is no longer fresh.
        options.Gate.Check($"fip {context.Resource}", $"gratuitous ARP for {ip} on {device}");
        try
        {
            await ArpAnnouncer.AnnounceAsync(device, ip, count, AnnounceSpacing, options.Time, cancellationToken);
        }
        catch (DriverException e)
        {
            LogAnnounceFailed(context.Resource, ip.ToString(), e.Message);
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

    private static IReadOnlyList<InterfaceAddress> Addresses(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RouteNetlink.ListAddresses(AddressFamily.InterNetwork);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "fip {Resource}: added {Ip}/{Prefix} to {Device}")]
    private partial void LogAdded(string resource, string ip, int prefix, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "fip {Resource}: removed {Ip} from {Device}")]
    private partial void LogRemoved(string resource, string ip, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fip {Resource}: {Ip} is active but no gratuitous ARP was sent ({Problem}); neighbours learn it when their caches expire")]
    private partial void LogAnnounceFailed(string resource, string ip, string problem);
}
