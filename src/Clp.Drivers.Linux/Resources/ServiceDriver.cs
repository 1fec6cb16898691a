using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The <c>service</c> driver: <c>systemctl start UNIT</c> at activation, <c>systemctl stop UNIT</c> at
/// deactivation, <c>systemctl is-active UNIT</c> as the probe.</summary>
/// <remarks>Only where systemd is PID 1 (<see cref="LinuxPlatform.CanRunService(out string)"/>): elsewhere
/// activation fails with that reason, deactivation succeeds (nothing can have been started) and the probe
/// answers not active. systemctl's own job waiting applies; the agent's step timeout cancels it, which kills
/// systemctl but not the job systemd runs.</remarks>
public sealed class ServiceDriver : IResourceDriver
{
    private readonly Func<(bool Can, string Reason)> _platform;
    private readonly LeaseGate _gate;

    public ServiceDriver(LinuxDriverOptions options)
        : this(() => (LinuxPlatform.CanRunService(out var reason), reason), options.Gate)
    {
    }

    internal ServiceDriver(Func<(bool Can, string Reason)> platform, LeaseGate? gate = null)
    {
        _platform = platform;
        _gate = gate ?? LeaseGate.Open;
    }

    public string Type => "service";

    public async Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var unit = context.RequiredString("unit");
        if (_platform() is (false, var reason))
        {
            throw new DriverException($"service {context.Resource}: {reason}");
        }

        if (await IsActiveAsync(unit, cancellationToken))
        {
            return;
        }

        _gate.Check($"service {context.Resource}", $"systemctl start {unit}");
        var result = await Command.RunAsync("systemctl", ["start", unit], cancellationToken);
        if (!result.Succeeded)
        {
            throw new DriverException($"service {context.Resource}: systemctl start {unit} failed ({result.ExitCode}): {result.Summary}");
        }
    }

    public async Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var unit = context.RequiredString("unit");
        if (_platform() is (false, _) || !await IsActiveAsync(unit, cancellationToken))
        {
            return;
        }

        var result = await Command.RunAsync("systemctl", ["stop", unit], cancellationToken);
        if (!result.Succeeded && await IsActiveAsync(unit, cancellationToken))
        {
            throw new DriverException($"service {context.Resource}: systemctl stop {unit} failed ({result.ExitCode}): {result.Summary}");
        }
    }

    public async Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var unit = context.RequiredString("unit");
        if (_platform() is (false, var reason))
        {
            return ProbeResult.Failed(reason);
        }

        var result = await Command.RunAsync("systemctl", ["is-active", unit], cancellationToken);
        var state = result.StandardOutput.Trim();
        return result.Succeeded ? ProbeResult.Ok($"{unit} is {state}") : ProbeResult.Failed($"{unit} is {(state.Length > 0 ? state : result.Summary)}");
    }

    /// <summary>Active, reloading or activating (a unit on its way up is not started a second time).</summary>
    private static async Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync("systemctl", ["is-active", unit], cancellationToken);
        return result.StandardOutput.Trim() is "active" or "reloading" or "activating";
    }
}
