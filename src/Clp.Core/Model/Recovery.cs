namespace Clp.Core.Model;

/// <summary>The last step of a recovery once retries and failovers are used up.</summary>
public enum FinalAction
{
    None,
    StopGroup,
    StopClusterService,
    StopClusterServiceAndShutdown,
    StopClusterServiceAndReboot,
}

/// <summary>What happens when a resource fails to activate: retry on the same server, fail the group
/// over up to a threshold, then the final action.</summary>
public sealed class ActivationRecovery
{
    /// <summary>Default 0.</summary>
    public int RetryCount { get; set; }

    /// <summary>Failovers allowed before the final action. Default 1.</summary>
    public int FailoverThreshold { get; set; } = 1;

    /// <summary>Default <see cref="FinalAction.None"/>.</summary>
    public FinalAction FinalAction { get; set; } = FinalAction.None;
}

/// <summary>What happens when a resource fails to deactivate: retry, then the final action (a failed stop
/// must not leave the resource running where the group may start elsewhere).</summary>
public sealed class DeactivationRecovery
{
    /// <summary>Default 0.</summary>
    public int RetryCount { get; set; }

    /// <summary>Default <see cref="FinalAction.StopClusterServiceAndShutdown"/>, as CLUSTERPRO.</summary>
    public FinalAction FinalAction { get; set; } = FinalAction.StopClusterServiceAndShutdown;
}
