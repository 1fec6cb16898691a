namespace Clp.Core.Time;

/// <summary>Keys of the per-area clocks (keyed <see cref="TimeProvider"/> services, STYLE 9), so a test
/// fakes one area's clock and leaves the others real. Each defaults to the process's TimeProvider.</summary>
public static class ClpClocks
{
    /// <summary>The controller's clock: lease receive instants, down judgement, startup sync wait,
    /// timeout-ratio ends, the controller's timers and its leader lease.</summary>
    public const string Controller = "clp.clock.controller";
}
