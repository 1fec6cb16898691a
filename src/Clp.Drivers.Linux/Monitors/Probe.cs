using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>The common shell of the Linux probes: a bad parameter becomes a failed result with its reason,
/// cancellation passes through untouched (the caller turns its own deadline into a timeout, STYLE 12), and any
/// other error the check did not expect is reported as a failure naming the exception.</summary>
internal abstract class Probe : IMonitorProbe
{
    public abstract string Type { get; }

    public async Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await CheckAsync(context, ProbeParameters.ForMonitor(Type, context.Parameters), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ArgumentException e)
        {
            return ProbeResult.Failed(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ProbeResult.Failed($"{e.GetType().Name}: {e.Message}");
        }
    }

    protected abstract Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken);
}
