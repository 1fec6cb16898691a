using System.Net;
using System.Net.Sockets;

namespace Clp.Core.Validation;

/// <summary>Syntax checks for addresses, networks, ports and URLs shared by every validator.</summary>
public static class NetworkSyntax
{
    /// <summary>A literal IPv4 or IPv6 address (no host names, no prefix).</summary>
    public static bool IsIpAddress(string? value) =>
        !string.IsNullOrEmpty(value)
        && !value.Contains('/')
        && IPAddress.TryParse(value, out var ip)
        && (ip.AddressFamily == AddressFamily.InterNetworkV6 || value.Count(c => c == '.') == 3);

    /// <summary>An address with a prefix length, e.g. <c>10.0.0.0/24</c>.</summary>
    public static bool IsCidr(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/');
        if (slash <= 0 || !IsIpAddress(value[..slash]) || !int.TryParse(value[(slash + 1)..], out var prefix))
        {
            return false;
        }

        var max = IPAddress.Parse(value[..slash]).AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefix >= 0 && prefix <= max && value[(slash + 1)..] == prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static bool IsPort(long value) => value is >= 1 and <= 65535;

    /// <summary>An absolute http or https URL with a host.</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    /// <summary>Whether <paramref name="address"/> lies in <paramref name="cidr"/>.</summary>
    public static bool Contains(string cidr, string address)
    {
        var slash = cidr.IndexOf('/');
        var network = IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var ip = IPAddress.Parse(address).GetAddressBytes();
        if (ip.Length != network.Length)
        {
            return false;
        }

        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((ip[bit / 8] & mask) != (network[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
