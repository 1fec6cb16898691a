using System.Net;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>One line of <c>ip -o addr show</c>: an address, the device holding it, and its flags
/// (<c>tentative</c>, <c>dadfailed</c>, <c>deprecated</c>, ...).</summary>
internal sealed record InterfaceAddress(string Device, IPAddress Address, int PrefixLength, IReadOnlySet<string> Flags)
{
    /// <summary>An IPv6 address whose duplicate detection failed, or that is still being checked, does not
    /// answer yet: it is held but not usable.</summary>
    public bool Usable => !Flags.Contains("dadfailed") && !Flags.Contains("tentative");

    /// <summary>The addresses in <c>ip -o addr show</c> output; lines that are not inet/inet6 are skipped.</summary>
    public static IReadOnlyList<InterfaceAddress> ParseAll(string output)
    {
        var result = new List<InterfaceAddress>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "3: va    inet 10.231.250.7/24 brd ... scope global secondary va:1\       valid_lft forever ..."
            var main = line.Split('\\')[0];
            var fields = main.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[2] is not ("inet" or "inet6"))
            {
                continue;
            }

            var slash = fields[3].IndexOf('/', StringComparison.Ordinal);
            var text = slash < 0 ? fields[3] : fields[3][..slash];
            if (!IPAddress.TryParse(text, out var address))
            {
                continue;
            }

            var prefix = slash < 0 ? (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : int.Parse(fields[3][(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var device = fields[1].Split('@')[0];
            result.Add(new InterfaceAddress(device, address, prefix, fields.Skip(4).ToHashSet(StringComparer.Ordinal)));
        }

        return result;
    }
}
