using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>What the agent reports its server cannot run follows the platform check.</summary>
public class UnsupportedTypesTests
{
    [Fact]
    public void Service_IsReportedUnsupported_ExactlyWhenSystemdIsNotPid1()
    {
        var canRun = LinuxPlatform.CanRunService(out var reason);
        var unsupported = LinuxDrivers.UnsupportedTypes();
        if (canRun)
        {
            Assert.False(unsupported.ContainsKey("service"));
        }
        else
        {
            Assert.Equal(reason, unsupported["service"]);
            Assert.Contains("systemd as PID 1", reason, StringComparison.Ordinal);
        }
    }
}
