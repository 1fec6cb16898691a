namespace Clp.Client.Watching;

/// <summary>The reconnect delay: exponential in the number of consecutive attempts that delivered nothing,
/// capped, with equal jitter (half fixed, half random) so that agents cut off together do not reconnect
/// in step. Pure: the caller supplies the random draw.</summary>
internal static class WatchBackoff
{
    /// <param name="failures">Consecutive attempts that delivered nothing, at least 1.</param>
    /// <param name="random">A draw in [0, 1].</param>
    public static TimeSpan Delay(int failures, TimeSpan initial, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var exponent = Math.Min(failures - 1, 62);
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)((ceiling / 2) + (ceiling / 2 * Math.Clamp(random, 0, 1))));
    }
}
