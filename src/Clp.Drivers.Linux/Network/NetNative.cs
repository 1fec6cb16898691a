using System.Runtime.InteropServices;

namespace Clp.Drivers.Linux.Network;

/// <summary>The libc socket calls behind <see cref="RouteNetlink"/> and <see cref="ArpAnnouncer"/> (.NET's
/// <c>Socket</c> has no netlink or link-layer addresses).</summary>
internal static unsafe partial class NetNative
{
    public const int AfNetlink = 16;
    public const int AfPacket = 17;
    public const int SockRaw = 3;
    public const int SockDgram = 2;
    public const int SockCloexec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int SolSocket = 1;
    public const int SoRcvtimeo = 20;
    public const int SiocGifHwAddr = 0x8927;
    public const int EIntr = 4;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, byte* address, int addressLength);

    /// <summary>poll(2) on one descriptor for POLLIN: 1 readable, 0 timed out, -1 error.</summary>
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    public const short PollIn = 1;

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(int fd, int level, int name, byte* value, int length);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nint request, byte* argument);

    [LibraryImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint InterfaceIndex(string name);

    [LibraryImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
    public static partial byte* InterfaceName(uint index, byte* name);

    /// <summary>The name of interface <paramref name="index"/>, or null when there is none (it vanished).</summary>
    public static string? NameOf(int index)
    {
        var buffer = stackalloc byte[16];
        var name = InterfaceName((uint)index, buffer);
        return name is null ? null : Marshal.PtrToStringUTF8((nint)name);
    }

    /// <summary>The index of interface <paramref name="name"/>.</summary>
    /// <exception cref="Core.Drivers.DriverException">No such device.</exception>
    public static int IndexOf(string name)
    {
        var index = InterfaceIndex(name);
        return index != 0 ? (int)index : throw new Core.Drivers.DriverException($"no network device {name} here");
    }

    /// <summary>The text of errno <paramref name="error"/> (strerror), for messages.</summary>
    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);
}
