using System.Net;
using System.Runtime.InteropServices;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Network;

/// <summary>The duplicate-address check of the fip driver, from the agent itself: one RFC 5227 probe (an ARP
/// request from 0.0.0.0 for the address, section 2.1.1) on the device, then every ARP packet the device
/// receives within the budget is examined; one whose sender protocol address is the floating IP and whose
/// sender MAC is not this device's means another host holds the address.</summary>
/// <remarks>This is what Habets' <c>arping -r -0 -c 1 -w BUDGET</c> did, without the exec and the libpcap
/// set-up that came on top of the budget (25 ms idle, well over 100 ms on a loaded server, all of it on the
/// outage path of a move). The listening socket is bound before the probe leaves, so an immediate answer is
/// not missed. Needs CAP_NET_RAW (the agent runs as root). Failure mode: as before, a holder that does not
/// answer ARP within the budget is not detected.</remarks>
internal static class ArpProbe
{
    private const int MessageDontWait = 0x40;
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);

    /// <summary>Probes for <paramref name="ip"/> on <paramref name="device"/> and listens for
    /// <paramref name="budget"/>.</summary>
    /// <returns>The MAC address (lower case, colon-separated) of the host that answered, or null when none did.</returns>
    /// <exception cref="DriverException">The device is unknown or the link-layer socket failed.</exception>
    public static Task<string?> FindHolderAsync(string device, IPAddress ip, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken) =>
        Task.Run(() => FindHolder(device, ip, budget, time, cancellationToken), cancellationToken);

    /// <summary>The holder's MAC when <paramref name="arp"/> (an ARP payload, Ethernet/IPv4) comes from another
    /// host than <paramref name="own"/> with sender protocol address <paramref name="ip"/>; else null.</summary>
    internal static string? HolderIn(ReadOnlySpan<byte> arp, IPAddress ip, ReadOnlySpan<byte> own)
    {
        if (arp.Length < 28 || arp[0] != 0 || arp[1] != 1 || arp[2] != 0x08 || arp[3] != 0 || arp[4] != 6 || arp[5] != 4)
        {
            return null;
        }

        var sender = arp.Slice(8, 6);
        return arp.Slice(14, 4).SequenceEqual(ip.GetAddressBytes()) && !sender.SequenceEqual(own)
            ? string.Join(':', sender.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
            : null;
    }

    private static unsafe string? FindHolder(string device, IPAddress ip, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var index = NetNative.IndexOf(device);
        const int arpInNetworkOrder = (ArpAnnouncer.EtherTypeArp >> 8) | ((ArpAnnouncer.EtherTypeArp & 0xFF) << 8);
        var fd = NetNative.Socket(NetNative.AfPacket, NetNative.SockDgram | NetNative.SockCloexec, arpInNetworkOrder);
        if (fd < 0)
        {
            throw ArpAnnouncer.Failure("socket(AF_PACKET)", device);
        }

        try
        {
            var link = stackalloc byte[20];
            ArpAnnouncer.LinkAddress(new Span<byte>(link, 20), index, broadcast: false);
            if (NetNative.Bind(fd, link, 20) != 0)
            {
                throw ArpAnnouncer.Failure("bind(AF_PACKET)", device);
            }

            var own = ArpAnnouncer.MacOf(fd, device);
            ArpAnnouncer.SendBroadcast(fd, index, device, ArpAnnouncer.Request(own, [0, 0, 0, 0], ip));
            var started = time.GetTimestamp();
            var buffer = new byte[256];
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = budget - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                // Slices, so a cancellation is seen within 20 ms.
                var poll = new NetNative.PollFd { Fd = fd, Events = NetNative.PollIn };
                var ready = NetNative.Poll(&poll, 1, (int)Math.Ceiling((left < Slice ? left : Slice).TotalMilliseconds));
                if (ready < 0 && Marshal.GetLastPInvokeError() != NetNative.EIntr)
                {
                    throw ArpAnnouncer.Failure("poll(AF_PACKET)", device);
                }

                while (ready > 0)
                {
                    nint got;
                    fixed (byte* data = buffer)
                    {
                        got = NetNative.Receive(fd, data, buffer.Length, MessageDontWait);
                    }

                    if (got <= 0)
                    {
                        break;
                    }

                    if (HolderIn(buffer.AsSpan(0, (int)got), ip, own) is { } holder)
                    {
                        return holder;
                    }
                }
            }
        }
        finally
        {
            _ = NetNative.Close(fd);
        }
    }
}
