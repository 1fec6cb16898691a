using System.Net;
using System.Runtime.InteropServices;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Network;

/// <summary>Gratuitous ARP from the agent itself, over a link-layer (AF_PACKET) socket: the neighbours that
/// still map the floating IP to its previous holder's MAC learn the new one at once, without starting
/// <c>arping</c> (an exec and its libpcap set-up, 40 ms or more, before the first packet left).</summary>
/// <remarks>The frame is the unsolicited ARP request of RFC 5227 section 2.4 (announcement) that Habets'
/// <c>arping -U</c> sends: broadcast, sender and target protocol address both the floating IP, sender hardware
/// address the device's MAC, target hardware address zero. Linux neighbours update an existing entry from it
/// (arp_accept=0 only stops them from creating one). Needs CAP_NET_RAW, which the agent (root) has.</remarks>
internal static class ArpAnnouncer
{
    internal const ushort EtherTypeArp = 0x0806;

    /// <summary>Sends <paramref name="count"/> announcements for <paramref name="ip"/> on <paramref name="device"/>,
    /// <paramref name="spacing"/> apart (the first at once).</summary>
    /// <exception cref="DriverException">The device has no usable link-layer address, or the socket failed.</exception>
    public static async Task AnnounceAsync(string device, IPAddress ip, int count, TimeSpan spacing, TimeProvider time, CancellationToken cancellationToken)
    {
        var index = NetNative.IndexOf(device);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(spacing, time, cancellationToken);
            }

            Send(index, device, ip);
        }
    }

    /// <summary>The 28-byte ARP announcement (Ethernet/IPv4, operation request) for <paramref name="ip"/> from
    /// <paramref name="mac"/>.</summary>
    internal static byte[] Frame(ReadOnlySpan<byte> mac, IPAddress ip) => Request(mac, ip.GetAddressBytes(), ip);

    /// <summary>An ARP request (Ethernet/IPv4) from <paramref name="mac"/> with sender protocol address
    /// <paramref name="sender"/> asking for <paramref name="target"/>; target hardware address zero.</summary>
    internal static byte[] Request(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> sender, IPAddress target)
    {
        var frame = new byte[28];
        frame[1] = 1; // hardware type Ethernet
        frame[2] = 0x08; // protocol type IPv4
        frame[4] = 6; // hardware address length
        frame[5] = 4; // protocol address length
        frame[7] = 1; // operation: request
        mac.CopyTo(frame.AsSpan(8));
        sender.CopyTo(frame.AsSpan(14)); // sender protocol address
        target.GetAddressBytes().CopyTo(frame, 24); // target protocol address; target hardware address stays zero
        return frame;
    }

    private static unsafe void Send(int index, string device, IPAddress ip)
    {
        // SOCK_DGRAM: the kernel builds the Ethernet header from sll_addr (broadcast) and the device's MAC;
        // protocol 0: the socket only sends, so nothing queues up on it.
        var fd = NetNative.Socket(NetNative.AfPacket, NetNative.SockDgram | NetNative.SockCloexec, 0);
        if (fd < 0)
        {
            throw Failure("socket(AF_PACKET)", device);
        }

        try
        {
            SendBroadcast(fd, index, device, Frame(MacOf(fd, device), ip));
        }
        finally
        {
            _ = NetNative.Close(fd);
        }
    }

    /// <summary>Sends an ARP payload to the Ethernet broadcast address of interface <paramref name="index"/>
    /// through the AF_PACKET socket <paramref name="fd"/>.</summary>
    internal static unsafe void SendBroadcast(int fd, int index, string device, byte[] frame)
    {
        var link = stackalloc byte[20];
        LinkAddress(new Span<byte>(link, 20), index, broadcast: true);
        fixed (byte* data = frame)
        {
            if (NetNative.SendTo(fd, data, frame.Length, 0, link, 20) != frame.Length)
            {
                throw Failure("sendto(AF_PACKET)", device);
            }
        }
    }

    /// <summary>Fills a sockaddr_ll for ARP on interface <paramref name="index"/>: family, protocol (network
    /// order), ifindex, hatype, pkttype, halen, addr[8] (the broadcast address when sending).</summary>
    internal static void LinkAddress(Span<byte> target, int index, bool broadcast)
    {
        target.Clear();
        MemoryMarshal.Write(target, (ushort)NetNative.AfPacket);
        target[2] = EtherTypeArp >> 8;
        target[3] = EtherTypeArp & 0xFF;
        MemoryMarshal.Write(target[4..], index);
        if (broadcast)
        {
            target[11] = 6;
            target.Slice(12, 6).Fill(0xFF);
        }
    }

    /// <summary>The device's MAC address (SIOCGIFHWADDR).</summary>
    internal static unsafe byte[] MacOf(int fd, string device)
    {
        // struct ifreq: the name (16 bytes), then a sockaddr whose sa_data holds the hardware address.
        var request = stackalloc byte[40];
        var span = new Span<byte>(request, 40);
        span.Clear();
        var name = System.Text.Encoding.UTF8.GetBytes(device);
        if (name.Length >= 16)
        {
            throw new DriverException($"device name {device} is too long");
        }

        name.CopyTo(span);
        if (NetNative.Ioctl(fd, NetNative.SiocGifHwAddr, request) != 0)
        {
            throw Failure("ioctl(SIOCGIFHWADDR)", device);
        }

        var mac = span.Slice(18, 6).ToArray();
        return mac.Any(b => b != 0) ? mac : throw new DriverException($"device {device} has no link-layer address to announce from");
    }

    internal static DriverException Failure(string call, string device) =>
        new($"{call} on {device} failed: {NetNative.Describe(Marshal.GetLastPInvokeError())}");
}
