using System.Collections.Concurrent;
using Clp.Core.Drivers;

namespace Clp.Drivers.Simulated;

/// <summary>SIMULATION: records the system actions a test's agent asked for; shutdown, reboot and power off
/// also power the simulated server off in the <see cref="SimulatedWorld"/> (a reboot powers it on again).</summary>
public sealed class RecordingSystemActions(string server, SimulatedWorld world) : ISystemActions
{
    public ConcurrentQueue<(string Action, string Reason)> Calls { get; } = new();

    public Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken) => Record("StopClusterService", reason, powerOff: false);

    public Task ShutdownAsync(string reason, CancellationToken cancellationToken) => Record("Shutdown", reason, powerOff: true);

    public async Task RebootAsync(string reason, CancellationToken cancellationToken)
    {
        await Record("Reboot", reason, powerOff: true);
        world.PowerOn(server);
    }

    public Task PowerOffAsync(string reason, CancellationToken cancellationToken) => Record("PowerOff", reason, powerOff: true);

    private Task Record(string action, string reason, bool powerOff)
    {
        Calls.Enqueue((action, reason));
        if (powerOff)
        {
            world.PowerOff(server);
        }

        return Task.CompletedTask;
    }
}
