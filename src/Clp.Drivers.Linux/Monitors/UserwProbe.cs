using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>userw</c>: detects a stall of the agent itself by asking <see cref="LinuxDriverOptions.Time"/> for a
/// <see cref="Interval"/> delay and measuring, on the monotonic clock, how late it came back (STYLE 10). With
/// method timer a lateness above stallThresholdSeconds is an error; with none it is only reported in the
/// message.</summary>
/// <remarks>A stall (the process frozen, starved of CPU, swapping) makes every timer late, this one included.
/// A stall longer than the monitor's timeout surfaces as a timeout of this probe instead: the caller cancels it.</remarks>
internal sealed class UserwProbe(LinuxDriverOptions options) : Probe
{
    /// <summary>The short timer whose lateness is measured.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public override string Type => "userw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var method = parameters.String("method");
        var threshold = TimeSpan.FromSeconds(parameters.Integer("stallThresholdSeconds"));
        var start = options.Time.GetTimestamp();
        await Task.Delay(Interval, options.Time, cancellationToken);
        return Verdict(method, options.Time.GetElapsedTime(start) - Interval, threshold);
    }

    /// <summary>Healthy unless method is timer and <paramref name="lateness"/> is above (not at)
    /// <paramref name="threshold"/>.</summary>
    public static ProbeResult Verdict(string method, TimeSpan lateness, TimeSpan threshold)
    {
        var late = $"a {Interval.TotalMilliseconds:F0} ms timer fired {lateness.TotalMilliseconds:F0} ms late";
        return method switch
        {
            "none" => ProbeResult.Ok($"{late} (method none: recorded only)"),
            _ when lateness > threshold => ProbeResult.Failed($"the agent stalled: {late}, more than {threshold.TotalSeconds:F0} s"),
            _ => ProbeResult.Ok(late),
        };
    }
}
