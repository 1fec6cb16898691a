using Clp.Core.Model;
using Clp.Policy.Time;

namespace Clp.Policy.Recovery;

/// <summary>When a monitor probes and when its failures become an error (CLUSTERPRO's retry count,
/// wait time before monitoring starts, and always / active-time monitoring).</summary>
/// <remarks>
/// <para>The monitor is in error when consecutive failures exceed <see cref="RetryCount"/> (retry
/// count 1: the second failure in a row); a timed-out probe is a failure.</para>
/// <para>Probing starts <see cref="StartWait"/> after monitoring started (at the limit it starts).
/// Monitoring starts at cluster start (or agent join) for <see cref="MonitorTiming.Always"/>, and when
/// the target became active on this server for <see cref="MonitorTiming.Active"/>; an active-time
/// monitor does not probe while its target is not active here, and the caller resets its state to
/// <see cref="MonitorCheckState.Initial"/> when the target deactivates.</para>
/// </remarks>
public sealed record MonitorCheck(int RetryCount, TimeSpan StartWait, MonitorTiming Timing)
{
    /// <param name="defaultTiming">The type's default timing (type catalog), for a spec without one.</param>
    public static MonitorCheck From(MonitorSpec spec, MonitorTiming defaultTiming)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(Math.Max(0, spec.RetryCount), TimeSpan.FromSeconds(Math.Max(0, spec.StartWaitSeconds)), spec.Timing ?? defaultTiming);
    }

    /// <summary>The first instant a probe may run.</summary>
    public Instant FirstProbeAt(Instant monitoringStartedAt) => monitoringStartedAt + StartWait;

    /// <param name="targetActiveHere">The monitor's target (resource or group) is active on this
    /// server; ignored for always monitors.</param>
    public bool ShouldProbe(Instant now, Instant monitoringStartedAt, bool targetActiveHere) =>
        now >= FirstProbeAt(monitoringStartedAt) && (Timing == MonitorTiming.Always || targetActiveHere);

    public MonitorObservation Observe(MonitorCheckState state, ProbeOutcome outcome)
    {
        if (outcome == ProbeOutcome.Success)
        {
            return new(state.InError ? MonitorVerdict.Recovered : MonitorVerdict.Normal, MonitorCheckState.Initial);
        }

        var failures = state.ConsecutiveFailures + 1;
        return failures > RetryCount
            ? new(MonitorVerdict.Error, new(0, InError: true))
            : new(MonitorVerdict.Failing, state with { ConsecutiveFailures = failures });
    }
}
