namespace Clp.Core.Drivers;

/// <summary>Activates, deactivates and probes one group-resource type on the local server. Real Linux
/// implementations live in Clp.Drivers.Linux; Clp.Drivers.Simulated serves in-process cluster tests.</summary>
/// <remarks>Contract: <see cref="ActivateAsync"/> and <see cref="DeactivateAsync"/> are idempotent (activating
/// an active resource or deactivating an inactive one succeeds without side effects), throw
/// <see cref="DriverException"/> on failure, and stop at cancellation (the agent cancels at the step's
/// timeout or when it fences; a deactivation cancelled by a fence is followed by a kill of everything the
/// resource started). <see cref="ProbeAsync"/> tells whether the resource is active here, so a restarted agent
/// can adopt what runs instead of starting it twice.</remarks>
public interface IResourceDriver
{
    /// <summary>The catalog type this driver serves, e.g. <c>fip</c>.</summary>
    string Type { get; }

    Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken);

    Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken);

    Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken);
}
