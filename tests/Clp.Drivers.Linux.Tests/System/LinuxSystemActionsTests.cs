using Clp.Core.Drivers;
using Clp.Drivers.Linux.SystemActions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Drivers.Linux.Tests.SystemActions;

/// <summary>The real system actions without root: every machine-wide action is refused (so no test or developer
/// run can power the machine off), and stopping the cluster service asks the host to stop.</summary>
public sealed class LinuxSystemActionsTests
{
    private readonly List<string> _stops = [];

    private LinuxSystemActions NotRoot() =>
        new(reason => _stops.Add(reason), TimeProvider.System, NullLogger<LinuxSystemActions>.Instance, isRoot: () => false);

    [Fact]
    public async Task MachineActions_NotRoot_AreRefused()
    {
        var actions = NotRoot();
        foreach (var (name, act) in new (string, Func<Task>)[]
        {
            ("shutdown", () => actions.ShutdownAsync("test", CancellationToken.None)),
            ("reboot", () => actions.RebootAsync("test", CancellationToken.None)),
            ("poweroff", () => actions.PowerOffAsync("test", CancellationToken.None)),
        })
        {
            var refused = await Assert.ThrowsAsync<DriverException>(act);
            Assert.Contains($"{name} refused", refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_stops);
    }

    [Fact]
    public async Task StopClusterService_AsksTheHostToStop()
    {
        await NotRoot().StopClusterServiceAsync("monitor final action", CancellationToken.None);
        Assert.Equal(["monitor final action"], _stops);
    }
}
