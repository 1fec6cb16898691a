using System.Net;
using Clp.Drivers.Linux.Network;

namespace Clp.Drivers.Linux.Tests.Network;

/// <summary>Unit tier: the announcement and probe frames (RFC 5227 sections 2.1.1 and 2.4) and the reading of
/// answers; the sockets are covered by the fip driver's namespace test (a conflict refused naming the holder's
/// MAC, a neighbour's stale entry updated).</summary>
[Trait("Category", "Unit")]
public class ArpAnnouncerTests
{
    [Fact]
    public void Frame_IsAnArpRequestWithSenderAndTargetTheFloatingIp_AndNoTargetMac()
    {
        byte[] mac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];

        var frame = ArpAnnouncer.Frame(mac, IPAddress.Parse("10.1.2.3"));

        byte[] expected =
        [
            0, 1, 0x08, 0, 6, 4, 0, 1,
            0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 1, 2, 3,
            0, 0, 0, 0, 0, 0, 10, 1, 2, 3,
        ];
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void HolderIn_ReplyFromAnotherHostForTheAddress_NamesItsMac_OwnOrOtherAddressesDoNot()
    {
        byte[] own = [0x02, 0, 0, 0, 0, 1];
        byte[] other = [0x02, 0xAB, 0, 0, 0, 2];
        var ip = IPAddress.Parse("10.1.2.3");

        Assert.Equal("02:ab:00:00:00:02", ArpProbe.HolderIn(ArpAnnouncer.Request(other, [10, 1, 2, 3], ip), ip, own));
        Assert.Null(ArpProbe.HolderIn(ArpAnnouncer.Request(own, [10, 1, 2, 3], ip), ip, own));
        Assert.Null(ArpProbe.HolderIn(ArpAnnouncer.Request(other, [10, 1, 2, 4], ip), ip, own));
        Assert.Null(ArpProbe.HolderIn(ArpAnnouncer.Request(other, [0, 0, 0, 0], ip), ip, own));
        Assert.Null(ArpProbe.HolderIn(new byte[27], ip, own));
    }

    [Fact]
    public void Request_FromZeroAddress_IsTheRfc5227Probe()
    {
        byte[] mac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];

        var probe = ArpAnnouncer.Request(mac, [0, 0, 0, 0], IPAddress.Parse("10.1.2.3"));

        Assert.Equal(new byte[4], probe[14..18]);
        Assert.Equal(new byte[6], probe[18..24]);
        Assert.Equal(new byte[] { 10, 1, 2, 3 }, probe[24..28]);
    }
}
