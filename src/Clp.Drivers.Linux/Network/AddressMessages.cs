using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Network;

/// <summary>The rtnetlink address messages (RTM_GETADDR, RTM_NEWADDR, RTM_DELADDR) as bytes: requests built
/// and replies parsed, pure (<see cref="RouteNetlink"/> does the I/O).</summary>
/// <remarks>Layout from rtnetlink(7) and netlink(7): <c>nlmsghdr</c> (length, type, flags, sequence, port id;
/// 16 bytes), <c>ifaddrmsg</c> (family, prefix length, flags, scope, interface index; 8 bytes), then attributes
/// (<c>rtattr</c>: length, type, value, each padded to 4 bytes). Host byte order (little-endian here) except
/// addresses, which are in network order. What is sent is what <c>ip addr add/del IP/PREFIX dev IF</c> sends:
/// IFA_LOCAL and IFA_ADDRESS both the address, global scope, no broadcast.</remarks>
internal static class AddressMessages
{
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort NewAddress = 20;
    public const ushort DeleteAddress = 21;
    public const ushort GetAddress = 22;
    public const ushort Request = 0x1;
    public const ushort Acknowledge = 0x4;
    public const ushort Dump = 0x300;
    public const ushort Exclusive = 0x200;
    public const ushort Create = 0x400;
    private const ushort AttributeAddress = 1;
    private const ushort AttributeLocal = 2;
    private const ushort AttributeFlags = 8;
    private const uint FlagSecondary = 0x01;
    private const uint FlagDadFailed = 0x08;
    private const uint FlagTentative = 0x40;
    private const int HeaderLength = 16;
    private const int AddressHeaderLength = 8;

    /// <summary>A dump request for every address of <paramref name="family"/> (Unspecified: IPv4 and IPv6).</summary>
    public static byte[] ListRequest(uint sequence, AddressFamily family)
    {
        var message = new byte[HeaderLength + AddressHeaderLength];
        WriteHeader(message, GetAddress, Request | Dump, sequence);
        message[HeaderLength] = FamilyByte(family);
        return message;
    }

    /// <summary>RTM_NEWADDR (create, fail if present) or RTM_DELADDR for <paramref name="ip"/>/<paramref name="prefix"/>
    /// on interface <paramref name="index"/>, asking for an acknowledgement.</summary>
    public static byte[] ChangeRequest(bool add, uint sequence, int index, IPAddress ip, int prefix)
    {
        var address = ip.GetAddressBytes();
        var attribute = 4 + Align(address.Length);
        var message = new byte[HeaderLength + AddressHeaderLength + (2 * attribute)];
        WriteHeader(message, add ? NewAddress : DeleteAddress, (ushort)(Request | Acknowledge | (add ? Create | Exclusive : 0)), sequence);
        message[HeaderLength] = FamilyByte(ip.AddressFamily);
        message[HeaderLength + 1] = (byte)prefix;
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(HeaderLength + 4), index);
        var at = HeaderLength + AddressHeaderLength;
        foreach (var type in new[] { AttributeLocal, AttributeAddress })
        {
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at), (ushort)(4 + address.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at + 2), type);
            address.CopyTo(message, at + 4);
            at += attribute;
        }

        return message;
    }

    /// <summary>Reads one datagram of replies to request <paramref name="sequence"/>: the addresses it carries
    /// (named through <paramref name="nameOf"/>; an address whose device vanished meanwhile is skipped), whether
    /// the reply is complete (NLMSG_DONE, or the acknowledgement), and the error the kernel answered (0 = none).</summary>
    public static (bool Complete, int Error) Read(ReadOnlySpan<byte> datagram, uint sequence, Func<int, string?> nameOf, List<InterfaceAddress> into)
    {
        var offset = 0;
        while (offset + HeaderLength <= datagram.Length)
        {
            var message = datagram[offset..];
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(message);
            if (length < HeaderLength || length > message.Length)
            {
                throw new InvalidDataException($"a netlink message claims {length} bytes, {message.Length} left");
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
            var mine = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]) == sequence;
            offset += Align(length);
            if (!mine)
            {
                continue;
            }

            switch (type)
            {
                case Done:
                    return (true, 0);
                case Error:
                    // nlmsgerr: a negative errno, 0 being the acknowledgement.
                    return (true, -BinaryPrimitives.ReadInt32LittleEndian(message[HeaderLength..]));
                case NewAddress when ParseAddress(message[..length], nameOf) is { } address:
                    into.Add(address);
                    break;
            }
        }

        return (false, 0);
    }

    private static InterfaceAddress? ParseAddress(ReadOnlySpan<byte> message, Func<int, string?> nameOf)
    {
        var body = message[HeaderLength..];
        var family = body[0] switch
        {
            2 => AddressFamily.InterNetwork,
            10 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        if (family == AddressFamily.Unspecified)
        {
            return null;
        }

        var prefix = body[1];
        uint flags = body[2];
        var index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        IPAddress? local = null, address = null;
        var at = AddressHeaderLength;
        while (at + 4 <= body.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(body[(at + 2)..]);
            if (length < 4 || at + length > body.Length)
            {
                break;
            }

            var value = body[(at + 4)..(at + length)];
            switch (type)
            {
                case AttributeLocal when value.Length is 4 or 16:
                    local = new IPAddress(value);
                    break;
                case AttributeAddress when value.Length is 4 or 16:
                    address = new IPAddress(value);
                    break;
                case AttributeFlags when value.Length >= 4:
                    // IFA_FLAGS carries all 32 bits; ifa_flags only the low 8.
                    flags = BinaryPrimitives.ReadUInt32LittleEndian(value);
                    break;
            }

            at += Align(length);
        }

        // As ip shows it: the local address (IPv4), else the address (IPv6 has only IFA_ADDRESS).
        var shown = local ?? address;
        return shown is null || nameOf(index) is not { } name
            ? null
            : new InterfaceAddress(name, shown, prefix, (flags & FlagSecondary) != 0 && family == AddressFamily.InterNetwork,
                (flags & (FlagDadFailed | FlagTentative)) == 0);
    }

    private static void WriteHeader(byte[] message, ushort type, ushort flags, uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
    }

    private static byte FamilyByte(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 2,
        AddressFamily.InterNetworkV6 => 10,
        _ => 0,
    };

    private static int Align(int length) => (length + 3) & ~3;
}
