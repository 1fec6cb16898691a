using Clp.Core.Drivers;
using Clp.Drivers.Linux.Monitors;

namespace Clp.Drivers.Linux;

public static partial class LinuxDrivers
{
    /// <summary>One instance per monitor type, shared by every monitor of that type: the probes that keep state
    /// between runs (sraw's window, diskw's and sdw's blocked I/O) key it by <see cref="MonitorContext.Monitor"/>.
    /// mrw lives in the agent; servicew is not implemented here.</summary>
    private static IEnumerable<IMonitorProbe> CreateProbes(LinuxDriverOptions options) =>
    [
        new AppliwProbe(options),
        new DiskwProbe(options),
        new FipwProbe(),
        new GenwProbe(),
        new HttpwProbe(),
        new IpwProbe(),
        new MiiwProbe(),
        new PsqlwProbe(),
        new PswProbe(),
        new SdwProbe(options),
        new SrawProbe(options),
        new TcpwProbe(),
        new UserwProbe(options),
    ];
}
