namespace Clp.Client.Watching;

/// <summary>How a <see cref="ClpWatcher"/> reconnects.</summary>
public sealed class ClpWatcherOptions
{
    /// <summary>The base of the first reconnect delay after an attempt that delivered nothing (refused, 5xx,
    /// closed before any event); each further such attempt doubles it up to <see cref="MaxBackoff"/>, and
    /// the delay is drawn between half the base and the base (equal jitter).</summary>
    /// <value>Default 250 ms.</value>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The cap of the reconnect delay: after a long outage the watcher reconnects within this
    /// long of the server being back.</summary>
    /// <value>Default 10 s.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A stream that brings no event for this long is closed and resumed. clp-api sends no
    /// keep-alive, so on a quiet cluster this reconnects every period (cheap: the resume point is kept);
    /// it is what notices a connection that died silently (peer gone without a FIN/RST).
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming each property that is out of range.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (InitialBackoff <= TimeSpan.Zero)
        {
            problems.Add($"InitialBackoff ({InitialBackoff}) must be positive");
        }

        if (MaxBackoff < InitialBackoff)
        {
            problems.Add($"MaxBackoff ({MaxBackoff}) must be at least InitialBackoff ({InitialBackoff})");
        }

        if (IdleTimeout <= TimeSpan.Zero && IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"IdleTimeout ({IdleTimeout}) must be positive or Timeout.InfiniteTimeSpan");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ClpWatcherOptions), string.Join("; ", problems));
        }
    }
}
