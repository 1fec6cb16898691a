namespace Clp.Core.Drivers;

/// <summary>One check of one monitor type (ping, HTTP, process alive, ...). A probe that does not answer
/// before the monitor's timeout has failed: the caller cancels it and records a timeout, never a success.</summary>
public interface IMonitorProbe
{
    /// <summary>The catalog monitor type this probe serves, e.g. <c>ipw</c>.</summary>
    string Type { get; }

    Task<ProbeResult> ProbeAsync(MonitorContext context, CancellationToken cancellationToken);
}
