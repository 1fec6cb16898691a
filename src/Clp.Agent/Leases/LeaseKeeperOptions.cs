namespace Clp.Agent.Leases;

/// <summary>How the agent keeps its node lease.</summary>
public sealed class LeaseKeeperOptions
{
    /// <summary>The longest stop path of the groups that may run here (the fence budget's floor above 0.2 T);
    /// read at every renewal, so a configuration change takes effect on the next one.</summary>
    /// <value>Default: zero (F = 0.2 T).</value>
    public Func<TimeSpan> LongestStopPath { get; set; } = () => TimeSpan.Zero;

    /// <summary>The first wait before retrying a failed join; doubles up to <see cref="MaxJoinBackoff"/>, with jitter.</summary>
    /// <value>Default 200 ms.</value>
    public TimeSpan JoinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <value>Default 5 s.</value>
    public TimeSpan MaxJoinBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Makes the incarnation of each join: higher than any this server used before.</summary>
    /// <value>Default: milliseconds of wall-clock time, raised above the previous incarnation if the clock stepped back.</value>
    public Func<long, long>? NextIncarnation { get; set; }
}
