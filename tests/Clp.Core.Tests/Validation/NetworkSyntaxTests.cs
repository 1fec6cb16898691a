using Clp.Core.Validation;

namespace Clp.Core.Tests.Validation;

public class NetworkSyntaxTests
{
    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("10.0.0", false)]
    [InlineData("10.0.0.256", false)]
    [InlineData("10.0.0.1/24", false)]
    [InlineData("host.example", false)]
    [InlineData("", false)]
    public void IsIpAddress_Value_Classifies(string value, bool expected) => Assert.Equal(expected, NetworkSyntax.IsIpAddress(value));

    [Theory]
    [InlineData("192.168.0.0/24", true)]
    [InlineData("10.231.0.0/16", true)]
    [InlineData("fd00::/64", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0/-1", false)]
    [InlineData("10.0.0.0/0x8", false)]
    [InlineData("10.0.0.0", false)]
    public void IsCidr_Value_Classifies(string value, bool expected) => Assert.Equal(expected, NetworkSyntax.IsCidr(value));

    [Theory]
    [InlineData("192.168.0.0/24", "192.168.0.200", true)]
    [InlineData("192.168.0.0/24", "192.168.1.1", false)]
    [InlineData("10.231.0.0/16", "10.231.255.1", true)]
    [InlineData("10.0.0.0/8", "fe80::1", false)]
    public void Contains_Address_Classifies(string cidr, string address, bool expected) => Assert.Equal(expected, NetworkSyntax.Contains(cidr, address));

    [Theory]
    [InlineData("http://10.0.0.1/health", true)]
    [InlineData("https://witness:8443", true)]
    [InlineData("ftp://x", false)]
    [InlineData("/relative", false)]
    public void IsHttpUrl_Value_Classifies(string value, bool expected) => Assert.Equal(expected, NetworkSyntax.IsHttpUrl(value));

    [Theory]
    [InlineData("server1", true)]
    [InlineData("ManagementGroup", true)]
    [InlineData("0abc", true)]
    [InlineData("a_b-c", true)]
    [InlineData("-abc", false)]
    [InlineData("_abc", false)]
    [InlineData("a.b", false)]
    [InlineData("abcdefghijabcdefghijabcdefghij1", true)]
    [InlineData("abcdefghijabcdefghijabcdefghij12", false)]
    [InlineData("", false)]
    public void Names_IsValid_FollowsTheRule(string name, bool expected) => Assert.Equal(expected, Names.IsValid(name));
}
