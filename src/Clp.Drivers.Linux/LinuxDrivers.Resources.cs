using Clp.Core.Drivers;
using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux;

public static partial class LinuxDrivers
{
    private static IEnumerable<IResourceDriver> CreateResourceDrivers(LinuxDriverOptions options) =>
    [
        new FloatingIpDriver(options),
        new ApplicationDriver(options),
        new ScriptDriver(options),
        new DiskDriver(options),
        new ServiceDriver(options),
    ];
}
