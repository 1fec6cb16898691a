namespace Clp.Controller.Leases;

/// <summary>The registry's answer to a renewal.</summary>
public enum RenewOutcome
{
    /// <summary>The incarnation holds the lease; the receipt was recorded.</summary>
    Renewed,

    /// <summary>The controller revoked this incarnation (judged down).</summary>
    Revoked,

    /// <summary>A newer incarnation took the lease over.</summary>
    Superseded,

    /// <summary>No lease of this incarnation was ever acquired (or the lease was deleted).</summary>
    NotHeld,

    /// <summary>A relayed renewal whose sequence is not newer than the last relayed one (a replay).</summary>
    Replayed,
}
