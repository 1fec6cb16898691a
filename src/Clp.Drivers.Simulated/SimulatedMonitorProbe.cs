using Clp.Core.Drivers;

namespace Clp.Drivers.Simulated;

/// <summary>SIMULATION: a probe of any monitor type. It fails while the test injected a failure, and a monitor
/// that watches a resource (fipw, appliw, ...) also fails when that resource is not active on its server.</summary>
public sealed class SimulatedMonitorProbe(string type, string server, SimulatedWorld world) : IMonitorProbe
{
    public string Type { get; } = type;

    public Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken)
    {
        if (world.ProbeFailure(server, context.Monitor) is { } message)
        {
            return Task.FromResult(ProbeResult.Failed(message));
        }

        if (context.Target is not null && !world.IsActive(server, context.Target))
        {
            return Task.FromResult(ProbeResult.Failed($"{context.Target} is not active on {server}"));
        }

        return Task.FromResult(ProbeResult.Ok());
    }
}
