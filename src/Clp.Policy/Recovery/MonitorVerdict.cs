namespace Clp.Policy.Recovery;

/// <summary>What one probe result means for the monitor.</summary>
public enum MonitorVerdict
{
    /// <summary>The probe succeeded and the monitor was not in error.</summary>
    Normal,

    /// <summary>The probe failed within the retry count: no action yet.</summary>
    Failing,

    /// <summary>Failures exceeded the retry count: run the next recovery step (and report the error).
    /// The failure count starts again, so the next step needs as many failures again.</summary>
    Error,

    /// <summary>The probe succeeded after an error: reset the recovery
    /// (<see cref="MonitorRecoveryState.OnNormal"/>).</summary>
    Recovered,
}
