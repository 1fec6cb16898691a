using Clp.Core.Model;
using Clp.Policy.Leases;

namespace Clp.Agent.Leases;

/// <summary>The lease keeper's log lines (<see cref="LeaseKeeper"/>, <see cref="LeaseRenewals"/>), and what each
/// <see cref="LeaseNote"/> of the lease machine logs.</summary>
internal static partial class LeaseLog
{
    public static void Note(ILogger logger, LeaseNote note)
    {
        switch (note)
        {
            case JoinedNote j:
                LogJoined(logger, j.Incarnation, j.Interval.TotalMilliseconds, j.Timeout.TotalMilliseconds);
                break;
            case DeferringNote d:
                LogDeferring(logger, d.Age.TotalMilliseconds, d.Reason);
                break;
            case DeferralEndedNote e:
                LogDeferralEnded(logger, e.Deferred.TotalMilliseconds);
                break;
            case DeferralRefusedNote r:
                LogDeferralRefused(logger, r.Reason);
                break;
            case TimeoutChangedNote t:
                LogTimeoutChanged(logger, t.From?.TotalMilliseconds ?? 0, t.To.TotalMilliseconds, t.FromRatio, t.ToRatio);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined with incarnation {Incarnation} (interval {IntervalMs} ms, timeout {TimeoutMs} ms)")]
    public static partial void LogJoined(ILogger logger, long incarnation, double intervalMs, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Join with incarnation {Incarnation} failed: {Reason}; retrying in {BackoffMs} ms")]
    public static partial void LogJoinFailed(ILogger logger, long incarnation, string reason, double backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewal of incarnation {Incarnation} failed: {Reason}")]
    public static partial void LogRenewFailed(ILogger logger, long incarnation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lease of incarnation {Incarnation} revoked: {Reason}")]
    public static partial void LogRevoked(ILogger logger, long incarnation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fencing: {Reason} (budget {BudgetMs} ms)")]
    public static partial void LogFencing(ILogger logger, string reason, double budgetMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence completed at lease age {AgeMs} ms (heartbeat timeout {TimeoutMs} ms); {Then}")]
    public static partial void LogFenceCompleted(ILogger logger, double? ageMs, double timeoutMs, string then);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fence completed at lease age {AgeMs} ms, after the heartbeat timeout {TimeoutMs} ms: the controller may have started this server's groups elsewhere meanwhile; {Then}")]
    public static partial void LogFencedLate(ILogger logger, double ageMs, double timeoutMs, string then);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Isolated: running the isolation action {Action} after incarnation {Incarnation}'s fence; this agent does not join again")]
    public static partial void LogIsolationAction(ILogger logger, IsolationAction action, long incarnation);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The isolation action {Action} failed; everything is released, so this agent joins again as after StopGroups")]
    public static partial void LogIsolationActionFailed(ILogger logger, Exception exception, IsolationAction action);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cluster's isolation action could not be read ({Reason}): the fence alone (StopGroups)")]
    public static partial void LogIsolationActionUnknown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No renewal for {AgeMs} ms: deferring the fence ({Reason})")]
    public static partial void LogDeferring(ILogger logger, double ageMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deferral ends: {Reason}")]
    public static partial void LogDeferralRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Heartbeat timeout T {FromMs} ms -> {ToMs} ms (timeout ratio {FromRatio} -> {ToRatio}); stated from the next renewal on")]
    public static partial void LogTimeoutChanged(ILogger logger, double fromMs, double toMs, int fromRatio, int toRatio);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed again after deferring the fence for {DeferredMs} ms")]
    public static partial void LogDeferralEnded(ILogger logger, double deferredMs);
}
