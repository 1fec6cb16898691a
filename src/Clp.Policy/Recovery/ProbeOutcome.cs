namespace Clp.Policy.Recovery;

/// <summary>The result of one monitor probe.</summary>
public enum ProbeOutcome
{
    Success,
    Failure,

    /// <summary>The probe outlived the monitor's timeout. It counts as a failure (STYLE 12): a timeout
    /// is never a cancellation and never a success.</summary>
    Timeout,
}
