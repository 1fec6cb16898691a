using Clp.Core.Drivers;

namespace Clp.Drivers.Linux;

/// <summary>The real Linux resource drivers and monitor probes, by catalog type.</summary>
public static partial class LinuxDrivers
{
    /// <summary>Every resource driver this assembly has, keyed by catalog type (e.g. <c>fip</c>).</summary>
    public static IReadOnlyDictionary<string, IResourceDriver> ResourceDrivers(LinuxDriverOptions options) =>
        CreateResourceDrivers(options).ToDictionary(d => d.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The resource types this server cannot run, with the reason (reported in the agent's
    /// Server status; validation then refuses such resources in groups that may run here).</summary>
    public static IReadOnlyDictionary<string, string> UnsupportedTypes()
    {
        var unsupported = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!Resources.LinuxPlatform.CanRunService(out var reason))
        {
            unsupported["service"] = reason;
        }

        return unsupported;
    }

    /// <summary>Every monitor probe this assembly has, keyed by catalog type (e.g. <c>ipw</c>).</summary>
    public static IReadOnlyDictionary<string, IMonitorProbe> MonitorProbes(LinuxDriverOptions options) =>
        CreateProbes(options).ToDictionary(p => p.Type, StringComparer.OrdinalIgnoreCase);
}
