namespace Clp.Core.Drivers;

/// <summary>The one port through which CLP touches the operating system's life: final actions of
/// recoveries and the fence's last resort. Real in production, recording in unit and cluster tests, and
/// test-host power in system tests (power off = a server death; reboot = the same, then the agent again).</summary>
public interface ISystemActions
{
    /// <summary>Stops the cluster service on this server (the agent leaves after releasing its groups).</summary>
    Task StopClusterServiceAsync(string reason, CancellationToken cancellationToken);

    Task ShutdownAsync(string reason, CancellationToken cancellationToken);

    Task RebootAsync(string reason, CancellationToken cancellationToken);

    /// <summary>Immediate power off without a clean shutdown: the fence's escalation when resources outlive
    /// their budget.</summary>
    Task PowerOffAsync(string reason, CancellationToken cancellationToken);
}
