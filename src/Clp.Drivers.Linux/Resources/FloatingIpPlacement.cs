using System.Net;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Resources;

/// <summary>Where a floating IP goes: the device and prefix length, chosen from the server's addresses (pure).</summary>
/// <param name="Present">The floating IP already sits on <paramref name="Interface"/>.</param>
internal sealed record FloatingIpPlacement(string Interface, int PrefixLength, bool Present)
{
    /// <summary>Chooses the device: <paramref name="requestedInterface"/> when set, else the device whose IPv4
    /// network contains <paramref name="ip"/> (a primary address before a secondary one, the longest prefix
    /// first). The prefix length is that network's; on a requested device with no such network it is 32.</summary>
    /// <exception cref="DriverException">No device has a network containing the address, or the address sits
    /// on another device than the requested one.</exception>
    public static FloatingIpPlacement Choose(IReadOnlyList<InterfaceAddress> table, IPAddress ip, string? requestedInterface)
    {
        var holders = table.Where(a => a.Address.Equals(ip)).ToList();
        if (requestedInterface is not null && holders.FirstOrDefault(h => h.Interface != requestedInterface) is { } elsewhere)
        {
            throw new DriverException($"address {ip} is already on device {elsewhere.Interface}, not on {requestedInterface}");
        }

        var networks = table
            .Where(a => !a.Address.Equals(ip) && a.PrefixLength < 32 && a.Contains(ip))
            .Where(a => requestedInterface is null || a.Interface == requestedInterface)
            .OrderBy(a => a.Secondary)
            .ThenByDescending(a => a.PrefixLength)
            .ToList();
        if (holders.FirstOrDefault() is { } holder)
        {
            return new FloatingIpPlacement(holder.Interface, holder.PrefixLength, Present: true);
        }

        if (networks.FirstOrDefault() is { } network)
        {
            return new FloatingIpPlacement(network.Interface, network.PrefixLength, Present: false);
        }

        return requestedInterface is not null
            ? new FloatingIpPlacement(requestedInterface, 32, Present: false)
            : throw new DriverException($"no network device here has an IPv4 network containing {ip}; set the interface parameter");
    }
}
