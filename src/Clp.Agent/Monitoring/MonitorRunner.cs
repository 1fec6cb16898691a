using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Policy.Recovery;
using Clp.Policy.Time;

namespace Clp.Agent.Monitoring;

/// <summary>One monitor on this server: each scheduled run decides whether to probe (start wait, active-time
/// timing, suspension), probes within the monitor's timeout (a timeout is a failure, never a
/// cancellation), counts consecutive failures against the retry count, and on error runs the recovery
/// state machine: restart the target N times, fail its group over M times, then the final action.</summary>
/// <remarks>The logic lives here so that it is tested on a fake clock; the Quartz job that calls
/// <see cref="RunOnceAsync"/> on the monitor's interval is a thin adapter.
/// <para>The cluster's timeout ratio stretches the probe timeout (<see cref="TimeoutRatio"/>), as CLUSTERPRO's
/// does: a probe that would time out under load gets ratio x its timeout before it counts as a failure. While
/// the cluster is suspended (<see cref="ClusterSuspended"/>, DESIGN rule 8) the monitor neither probes nor
/// recovers and reads Suspend; a probe in flight when the suspend arrives is discarded, and failures count
/// afresh after the resume.</para></remarks>
public sealed partial class MonitorRunner(
    MonitorContext context,
    MonitorSpec spec,
    MonitorTiming defaultTiming,
    RecoveryTarget recoveryTarget,
    IMonitorProbe probe,
    IRecoveryActions actions,
    TimeProvider time,
    ILogger<MonitorRunner> logger)
{
    private readonly MonitorCheck _check = MonitorCheck.From(spec, defaultTiming);
    private readonly Instant _startedAt = Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
    private MonitorCheckState _state = MonitorCheckState.Initial;
    private MonitorRecoveryState _recovery = MonitorRecoveryState.Initial;

    /// <summary>Normal, Caution (failing within its retries), Error, Suspend or Unused (not probing here).</summary>
    public ObjectState Status { get; private set; } = ObjectState.Unused;

    public string? LastMessage { get; private set; }

    /// <summary>Set by the operator's monitor suspend; a suspended monitor neither probes nor recovers.</summary>
    public bool Suspended { get; set; }

    /// <summary>Whether the cluster is suspended now (asked at every run, and again before a recovery).</summary>
    /// <value>Default: never.</value>
    public Func<bool> ClusterSuspended { get; init; } = () => false;

    /// <summary>The timeout ratio this agent applied now; the probe timeout is multiplied by it.</summary>
    /// <value>Default: 1.</value>
    public Func<int> TimeoutRatio { get; init; } = () => 1;

    /// <summary>While set, every probe fails as if the probed thing had failed (CLUSTERPRO's failure
    /// verification), through the retry count, until the recovery state machine takes a step; then it is
    /// cleared and <see cref="VerificationStep"/> says which step ran.</summary>
    public string? InjectedFailure { get; set; }

    /// <summary>The recovery step the last failure verification caused (e.g. "Restart of resource app1").</summary>
    public string? VerificationStep { get; private set; }

    /// <param name="targetActiveHere">Whether the monitored resource is active on this server now.</param>
    /// <param name="recoverySuppressed">The cluster's switch that suppresses recovery on monitor errors.</param>
    public async Task<MonitorVerdict?> RunOnceAsync(bool targetActiveHere, bool recoverySuppressed, CancellationToken cancellationToken)
    {
        var now = Instant.FromTimestamp(time.GetTimestamp(), time.TimestampFrequency);
        if (Suspended)
        {
            Status = ObjectState.Suspend;
            return null;
        }

        if (ClusterSuspended())
        {
            // Monitoring restarts with the resume: failures seen before the suspend do not count after it.
            Status = ObjectState.Suspend;
            _state = MonitorCheckState.Initial;
            return null;
        }

        if (!_check.ShouldProbe(now, _startedAt, targetActiveHere))
        {
            Status = ObjectState.Unused;
            _state = MonitorCheckState.Initial;
            return null;
        }

        var (outcome, message) = await ProbeAsync(cancellationToken);
        if (ClusterSuspended())
        {
            // Suspended while the probe ran: its result leads to nothing (no recovery while suspended).
            Status = ObjectState.Suspend;
            _state = MonitorCheckState.Initial;
            return null;
        }

        var observation = _check.Observe(_state, outcome);
        _state = observation.Next;
        LastMessage = message;
        Status = observation.Verdict switch
        {
            MonitorVerdict.Failing => ObjectState.Caution,
            MonitorVerdict.Error => ObjectState.Error,
            _ => ObjectState.Normal,
        };
        if (observation.Verdict == MonitorVerdict.Recovered)
        {
            _recovery = _recovery.OnNormal();
            LogRecovered(context.Monitor);
        }
        else if (observation.Verdict == MonitorVerdict.Error)
        {
            await RecoverAsync(message ?? "probe failed", recoverySuppressed, cancellationToken);
        }

        return observation.Verdict;
    }

    private async Task<(ProbeOutcome, string?)> ProbeAsync(CancellationToken cancellationToken)
    {
        if (InjectedFailure is { } injected)
        {
            return (ProbeOutcome.Failure, $"pseudo failure: {injected}");
        }

        var ratio = Math.Max(1, TimeoutRatio());
        var timeout = TimeSpan.FromSeconds((long)spec.TimeoutSeconds * ratio);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var result = await probe.ProbeAsync(context, linked.Token).WaitAsync(timeout, time, cancellationToken);
            return (result.Healthy ? ProbeOutcome.Success : ProbeOutcome.Failure, result.Message);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            return (ProbeOutcome.Timeout, ratio == 1
                ? $"probe timed out after {timeout.TotalSeconds:F0} s"
                : $"probe timed out after {timeout.TotalSeconds:F0} s (timeout {spec.TimeoutSeconds} s x timeout ratio {ratio})");
        }
    }

    private async Task RecoverAsync(string message, bool suppressed, CancellationToken cancellationToken)
    {
        var step = _recovery.OnError(spec.Recovery, recoveryTarget, suppressed);
        _recovery = step.Next;
        var reason = $"monitor {context.Monitor} error: {message}";
        LogError(context.Monitor, message, step.Step.Kind.ToString());
        if (InjectedFailure is not null)
        {
            VerificationStep = step.Step.Kind switch
            {
                RecoveryStepKind.Restart => $"Restart of {Describe(recoveryTarget)}",
                RecoveryStepKind.Failover => $"Failover of {Describe(recoveryTarget)}",
                RecoveryStepKind.FinalAction => $"final action {step.Step.FinalAction}",
                RecoveryStepKind.ReportOnly => "none: recovery is suppressed in this cluster (reported only)",
                _ => "none: the recovery budget is spent (no step left until the monitor is normal again)",
            };
            InjectedFailure = null;
        }

        switch (step.Step.Kind)
        {
            case RecoveryStepKind.Restart:
                await actions.RestartAsync(recoveryTarget, reason, cancellationToken);
                break;
            case RecoveryStepKind.Failover:
                await actions.RequestFailoverAsync(recoveryTarget, reason, cancellationToken);
                break;
            case RecoveryStepKind.FinalAction:
                await actions.FinalActionAsync(step.Step.FinalAction, recoveryTarget, reason, cancellationToken);
                break;
        }
    }

    private static string Describe(RecoveryTarget target) => target.Kind switch
    {
        RecoveryTargetKind.Resource => $"resource {target.Name}",
        RecoveryTargetKind.Group => $"group {target.Group ?? target.Name}",
        RecoveryTargetKind.AllGroups => "all groups on this server",
        _ => "the local server",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitor {Monitor} error: {Message}; recovery step {Step}")]
    private partial void LogError(string monitor, string message, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitor {Monitor} is normal again")]
    private partial void LogRecovered(string monitor);
}
