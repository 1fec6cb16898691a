using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Clp.Drivers.Linux.Resources;

/// <summary>One address on a network device, as a line of <c>ip -o addr show</c> gives it (the fip driver and
/// the fipw probe read the same listing).</summary>
/// <param name="Usable">False while IPv6 duplicate detection runs or after it failed (<c>tentative</c>,
/// <c>dadfailed</c>): the address is held but does not answer.</param>
internal sealed record InterfaceAddress(string Interface, IPAddress Address, int PrefixLength, bool Secondary, bool Usable = true)
{
    /// <summary>Whether <paramref name="ip"/> lies in this address's network.</summary>
    public bool Contains(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork && new IPNetwork(Network(Address, PrefixLength), PrefixLength).Contains(ip);

    /// <summary>Parses the output of <c>ip -o addr show</c>, e.g.
    /// <c>2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global secondary eth0\       valid_lft forever ...</c>.
    /// Lines that are not inet or inet6 addresses are skipped.</summary>
    public static IReadOnlyList<InterfaceAddress> ParseAll(string output)
    {
        var list = new List<InterfaceAddress>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // The flags end at the backslash that -o puts where ip would break the line.
            var head = line.Split('\\')[0];
            var fields = head.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var inet = Array.FindIndex(fields, f => f is "inet" or "inet6");
            if (fields.Length < 2 || inet < 0 || inet + 1 >= fields.Length)
            {
                continue;
            }

            var cidr = fields[inet + 1].Split('/');
            if (!IPAddress.TryParse(cidr[0], out var address))
            {
                continue;
            }

            var host = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var prefix = cidr.Length > 1 && int.TryParse(cidr[1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : host;
            var name = fields[1].TrimEnd(':').Split('@')[0];
            var flags = fields.Skip(inet + 2).ToHashSet(StringComparer.Ordinal);
            list.Add(new InterfaceAddress(name, address, prefix, flags.Contains("secondary"), !flags.Contains("dadfailed") && !flags.Contains("tentative")));
        }

        return list;
    }

    private static IPAddress Network(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
