using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Clp.Drivers.Linux.Network;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Network;

/// <summary>Unit tier: the rtnetlink address messages, built and parsed byte by byte (layouts from rtnetlink(7)).</summary>
[Trait("Category", "Unit")]
public class AddressMessagesTests
{
    [Fact]
    public void ChangeRequest_Add_IsNewAddressWithLocalAndAddressAttributes()
    {
        var message = AddressMessages.ChangeRequest(add: true, sequence: 7, index: 3, IPAddress.Parse("10.0.0.5"), 24);

        byte[] expected =
        [
            40, 0, 0, 0, 20, 0, 0x05, 0x06, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
            2, 24, 0, 0, 3, 0, 0, 0, // ifaddrmsg: AF_INET /24, index 3
            8, 0, 2, 0, 10, 0, 0, 5, // IFA_LOCAL
            8, 0, 1, 0, 10, 0, 0, 5, // IFA_ADDRESS
        ];
        Assert.Equal(expected, message);
    }

    [Fact]
    public void ChangeRequest_Delete_IsDeleteAddressAskingOnlyForAnAcknowledgement()
    {
        var message = AddressMessages.ChangeRequest(add: false, sequence: 1, index: 2, IPAddress.Parse("192.0.2.1"), 32);

        Assert.Equal(21, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4)));
        Assert.Equal(0x05, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(6)));
        Assert.Equal(32, message[17]);
    }

    [Fact]
    public void ListRequest_IsADumpOfTheFamily()
    {
        var message = AddressMessages.ListRequest(9, AddressFamily.InterNetwork);

        Assert.Equal(24, message.Length);
        Assert.Equal(22, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4)));
        Assert.Equal(0x301, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(6)));
        Assert.Equal(2, message[16]);
    }

    [Fact]
    public void Read_Dump_GivesAddressesWithDeviceNamesAndFlags_SkipsOthersAndVanishedDevices()
    {
        var datagram = Concat(
            Address(5, family: 2, prefix: 24, flags: 0, index: 3, (2, [10, 231, 250, 1]), (1, [10, 231, 250, 1])),
            Address(5, family: 2, prefix: 24, flags: 0x01, index: 3, (2, [10, 231, 250, 7]), (1, [10, 231, 250, 7]), (3, "va:1\0"u8.ToArray())),
            Address(5, family: 10, prefix: 64, flags: 0, index: 4, (1, IPAddress.Parse("fd00::5").GetAddressBytes()), (8, [0x48, 0, 0, 0])),
            Address(6, family: 2, prefix: 8, flags: 0, index: 1, (2, [127, 0, 0, 1])),
            Address(5, family: 2, prefix: 8, flags: 0, index: 99, (2, [10, 9, 9, 9])));
        var into = new List<InterfaceAddress>();

        var (complete, error) = AddressMessages.Read(datagram, 5, i => i switch { 3 => "va", 4 => "vb", _ => null }, into);

        Assert.False(complete);
        Assert.Equal(0, error);
        Assert.Equal(
        [
            new InterfaceAddress("va", IPAddress.Parse("10.231.250.1"), 24, Secondary: false),
            new InterfaceAddress("va", IPAddress.Parse("10.231.250.7"), 24, Secondary: true),
            new InterfaceAddress("vb", IPAddress.Parse("fd00::5"), 64, Secondary: false, Usable: false),
        ], into);
    }

    [Fact]
    public void Read_DoneAndError_CompleteTheRequest_WithTheKernelsErrno()
    {
        var into = new List<InterfaceAddress>();

        Assert.Equal((true, 0), AddressMessages.Read(Message(3, 4, new byte[4]), 4, _ => "x", into));
        Assert.Equal((true, 17), AddressMessages.Read(Message(2, 4, [0xEF, 0xFF, 0xFF, 0xFF]), 4, _ => "x", into));
        Assert.Equal((true, 0), AddressMessages.Read(Message(2, 4, [0, 0, 0, 0]), 4, _ => "x", into));
        Assert.Equal((false, 0), AddressMessages.Read(Message(2, 3, [0xEF, 0xFF, 0xFF, 0xFF]), 4, _ => "x", into));
    }

    [Fact]
    public void Read_TruncatedMessage_Throws()
    {
        var message = Message(3, 1, new byte[4]);
        message[0] = 200;

        Assert.Throws<InvalidDataException>(() => AddressMessages.Read(message, 1, _ => "x", []));
    }

    private static byte[] Address(uint sequence, byte family, byte prefix, byte flags, int index, params (ushort Type, byte[] Value)[] attributes)
    {
        var body = new List<byte> { family, prefix, flags, 0 };
        body.AddRange(BitConverter.GetBytes(index));
        foreach (var (type, value) in attributes)
        {
            body.AddRange(BitConverter.GetBytes((ushort)(4 + value.Length)));
            body.AddRange(BitConverter.GetBytes(type));
            body.AddRange(value);
            while (body.Count % 4 != 0)
            {
                body.Add(0);
            }
        }

        return Message(20, sequence, [.. body]);
    }

    private static byte[] Message(ushort type, uint sequence, byte[] body)
    {
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        body.CopyTo(message, 16);
        return message;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
