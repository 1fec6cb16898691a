namespace Clp.Core.Drivers;

/// <summary>The answer of a probe: healthy or not, and why, for the status and the alert log.</summary>
public sealed record ProbeResult(bool Healthy, string? Message = null)
{
    public static ProbeResult Ok(string? message = null) => new(true, message);

    public static ProbeResult Failed(string message) => new(false, message);
}
