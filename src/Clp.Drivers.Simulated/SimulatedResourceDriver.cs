using Clp.Core.Drivers;

namespace Clp.Drivers.Simulated;

/// <summary>SIMULATION: a resource driver of any type that records activation in a <see cref="SimulatedWorld"/>
/// instead of touching the machine. An optional delay stands for the time a real start or stop takes.</summary>
public sealed class SimulatedResourceDriver(string type, string server, SimulatedWorld world, TimeProvider time, TimeSpan delay = default) : IResourceDriver
{
    public string Type { get; } = type;

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await WaitAsync(cancellationToken);
        world.Activate(server, context.Resource);
    }

    public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await WaitAsync(cancellationToken);
        world.Deactivate(server, context.Resource);
    }

    public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken) =>
        Task.FromResult(world.IsActive(server, context.Resource) ? ProbeResult.Ok("active") : ProbeResult.Failed("not active"));

    private Task WaitAsync(CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;
}
