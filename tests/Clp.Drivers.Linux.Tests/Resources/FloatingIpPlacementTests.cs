using System.Net;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>Parsing <c>ip -o -4 addr show</c> and choosing the floating IP's device and prefix (no I/O).</summary>
public class FloatingIpPlacementTests
{
    private const string Output = """
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        2: eth0    inet 192.168.10.5/24 brd 192.168.10.255 scope global eth0\       valid_lft forever preferred_lft forever
        2: eth0    inet 192.168.10.200/24 scope global secondary eth0\       valid_lft forever preferred_lft forever
        3: eth1    inet 10.1.0.7/16 brd 10.1.255.255 scope global eth1\       valid_lft forever preferred_lft forever
        4: eth2    inet 10.1.4.7/22 scope global eth2\       valid_lft forever preferred_lft forever
        5: vd1x1a@if4    inet 10.231.7.1/24 scope global vd1x1a\       valid_lft forever preferred_lft forever
        """;

    private static readonly IReadOnlyList<InterfaceAddress> Table = InterfaceAddress.ParseAll(Output);

    [Fact]
    public void ParseAll_ReadsDeviceAddressPrefixAndSecondaryFlag()
    {
        Assert.Equal(6, Table.Count);
        Assert.Equal(new InterfaceAddress("eth0", IPAddress.Parse("192.168.10.200"), 24, true), Table[2]);
        Assert.Equal(new InterfaceAddress("eth1", IPAddress.Parse("10.1.0.7"), 16, false), Table[3]);
        Assert.Equal("vd1x1a", Table[5].Interface);
    }

    [Theory]
    [InlineData("192.168.10.77", null, "eth0", 24, false)]
    [InlineData("192.168.10.200", null, "eth0", 24, true)]
    [InlineData("10.1.5.1", null, "eth2", 22, false)] // the longest prefix wins over eth1's /16
    [InlineData("10.1.200.1", null, "eth1", 16, false)]
    [InlineData("10.1.5.1", "eth1", "eth1", 16, false)]
    [InlineData("172.16.0.1", "eth1", "eth1", 32, false)] // a named device with no such network: a host address
    public void Choose_PicksDeviceAndPrefix(string ip, string? requested, string device, int prefix, bool present)
    {
        Assert.Equal(new FloatingIpPlacement(device, prefix, present), FloatingIpPlacement.Choose(Table, IPAddress.Parse(ip), requested));
    }

    [Fact]
    public void Choose_NoNetworkContainsAddress_FailsNamingTheParameter()
    {
        var e = Assert.Throws<DriverException>(() => FloatingIpPlacement.Choose(Table, IPAddress.Parse("172.16.0.1"), null));
        Assert.Contains("set the interface parameter", e.Message);
    }

    [Fact]
    public void Choose_AddressOnAnotherDeviceThanRequested_Fails()
    {
        var e = Assert.Throws<DriverException>(() => FloatingIpPlacement.Choose(Table, IPAddress.Parse("192.168.10.200"), "eth1"));
        Assert.Contains("already on device eth0", e.Message);
    }
}
