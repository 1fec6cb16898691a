using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Network;

/// <summary>Lists, adds and deletes the addresses of this network namespace over an rtnetlink socket, in
/// process: what <c>ip -o addr show</c>, <c>ip addr add</c> and <c>ip addr del</c> do, without starting a
/// process (two execs, about 10-20 ms each on a loaded server, on the floating IP's outage path).</summary>
/// <remarks>One socket per call, closed after it; each call is one request and its replies, which the kernel
/// answers at once (a 2 s receive timeout only guards against the impossible). The caller's namespace is the
/// agent's: the socket talks to the network namespace the process runs in.</remarks>
internal static unsafe class RouteNetlink
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(2);
    private static int _sequence = Environment.ProcessId;

    /// <summary>Every address of <paramref name="family"/> (Unspecified: IPv4 and IPv6), as
    /// <see cref="InterfaceAddress"/> entries named by their device.</summary>
    /// <exception cref="DriverException">The kernel refused the dump or the socket failed.</exception>
    public static IReadOnlyList<InterfaceAddress> ListAddresses(AddressFamily family = AddressFamily.Unspecified)
    {
        var sequence = NextSequence();
        var addresses = new List<InterfaceAddress>();
        var error = Exchange(AddressMessages.ListRequest(sequence, family), sequence, addresses);
        return error == 0 ? addresses : throw new DriverException($"listing the addresses (netlink RTM_GETADDR) failed: {NetNative.Describe(error)}");
    }

    /// <summary>Adds <paramref name="ip"/>/<paramref name="prefix"/> to <paramref name="device"/>
    /// (<c>ip addr add</c>); the errno the kernel answered, 0 on success (EEXIST when it is there already).</summary>
    /// <exception cref="DriverException">No such device, or the socket failed.</exception>
    public static int AddAddress(string device, IPAddress ip, int prefix) => Change(add: true, device, ip, prefix);

    /// <summary>Deletes <paramref name="ip"/>/<paramref name="prefix"/> from <paramref name="device"/>
    /// (<c>ip addr del</c>); the errno the kernel answered, 0 on success (EADDRNOTAVAIL when it is not there).</summary>
    /// <exception cref="DriverException">No such device, or the socket failed.</exception>
    public static int DeleteAddress(string device, IPAddress ip, int prefix) => Change(add: false, device, ip, prefix);

    private static int Change(bool add, string device, IPAddress ip, int prefix)
    {
        var sequence = NextSequence();
        return Exchange(AddressMessages.ChangeRequest(add, sequence, NetNative.IndexOf(device), ip, prefix), sequence, []);
    }

    private static uint NextSequence() => (uint)Interlocked.Increment(ref _sequence);

    /// <summary>Sends <paramref name="request"/> to the kernel and reads replies until the dump is done or the
    /// request is acknowledged; the errno answered (0 = none).</summary>
    private static int Exchange(byte[] request, uint sequence, List<InterfaceAddress> into)
    {
        var fd = NetNative.Socket(NetNative.AfNetlink, NetNative.SockRaw | NetNative.SockCloexec, NetNative.NetlinkRoute);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK)");
        }

        try
        {
            var timeout = stackalloc long[2] { (long)ReceiveTimeout.TotalSeconds, 0 };
            if (NetNative.SetSocketOption(fd, NetNative.SolSocket, NetNative.SoRcvtimeo, (byte*)timeout, 16) != 0)
            {
                throw Failure("setsockopt(SO_RCVTIMEO)");
            }

            // sockaddr_nl of the kernel: family, padding, port id 0, no groups.
            var kernel = stackalloc byte[12];
            new Span<byte>(kernel, 12).Clear();
            kernel[0] = NetNative.AfNetlink;
            fixed (byte* message = request)
            {
                if (NetNative.SendTo(fd, message, request.Length, 0, kernel, 12) != request.Length)
                {
                    throw Failure("sendto(netlink)");
                }
            }

            var buffer = new byte[64 * 1024];
            while (true)
            {
                nint got;
                fixed (byte* data = buffer)
                {
                    got = NetNative.Receive(fd, data, buffer.Length, 0);
                }

                if (got < 0)
                {
                    if (Marshal.GetLastPInvokeError() == NetNative.EIntr)
                    {
                        continue;
                    }

                    throw Failure("recv(netlink)");
                }

                var (complete, error) = AddressMessages.Read(buffer.AsSpan(0, (int)got), sequence, NetNative.NameOf, into);
                if (complete)
                {
                    return error;
                }
            }
        }
        finally
        {
            _ = NetNative.Close(fd);
        }
    }

    private static DriverException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new DriverException($"{call} failed: {NetNative.Describe(errno)}");
    }
}
