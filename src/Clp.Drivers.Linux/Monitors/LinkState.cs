namespace Clp.Drivers.Linux.Monitors;

/// <summary>A network device's link as the kernel reports it in <c>/sys/class/net/IF/operstate</c> and
/// <c>carrier</c> (read in the caller's network namespace: <c>ip netns exec</c> remounts /sys for it).</summary>
/// <param name="OperState">RFC 2863 state: up, down, lowerlayerdown, dormant, notpresent, testing or unknown.</param>
/// <param name="Carrier">1 with a link, 0 without, null when the device is administratively down (reading it
/// fails with EINVAL).</param>
internal sealed record LinkState(string Device, string OperState, int? Carrier)
{
    /// <summary>A link that carries traffic: a carrier, and an operstate that is up or, for devices whose
    /// driver does not report one (loopback, dummy, some virtual NICs), unknown.</summary>
    public bool IsUp => Carrier == 1 && OperState is "up" or "unknown";

    public string Describe() => $"{Device}: operstate {OperState}, carrier {(Carrier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (administratively down)")}";

    /// <summary>The device's state, or null when there is no such device here.</summary>
    public static LinkState? Read(string device, string sysClassNet = "/sys/class/net")
    {
        if (device.Contains('/', StringComparison.Ordinal) || device is "." or "..")
        {
            throw new ArgumentException($"not a network device name: {device}");
        }

        var dir = Path.Combine(sysClassNet, device);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        string operState;
        try
        {
            operState = File.ReadAllText(Path.Combine(dir, "operstate")).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return new LinkState(device, operState, ReadCarrier(Path.Combine(dir, "carrier")));
    }

    private static int? ReadCarrier(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() switch
            {
                "1" => 1,
                "0" => 0,
                _ => null,
            };
        }
        catch (IOException)
        {
            // EINVAL: the device is administratively down and has no carrier state.
            return null;
        }
    }
}
