using Clp.Core.Drivers;

namespace Clp.Drivers.Linux;

public static partial class LinuxDrivers
{
    private static IEnumerable<IResourceDriver> CreateResourceDrivers(LinuxDriverOptions options)
    {
        _ = options;
        return [];
    }
}
