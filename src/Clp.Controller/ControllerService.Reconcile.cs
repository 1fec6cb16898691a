using Clp.Controller.Leadership;
using Clp.Controller.Reconciliation;
using Clp.Controller.Timing;
using Clp.Core.Store;
using Microsoft.Extensions.Logging;

namespace Clp.Controller;

/// <summary>One reconcile of one cluster: a store transaction that checks the leader term, reads the
/// cluster, runs a <see cref="ReconcilePass"/> and writes its plan; then the in-memory follow-up.</summary>
public sealed partial class ControllerService
{
    private async Task ReconcileAsync(Session session, string key, CancellationToken cancellationToken)
    {
        var state = _states.GetOrAdd(key, k => new ClusterState(k)
        {
            CountingFrom = new(Interlocked.Read(ref _countingStartTicks)),
            DownTimer = new WakeupTimer(_clock, () => session.Queue.Add(k)),
            RecheckTimer = new WakeupTimer(_clock, () => session.Queue.Add(k)),
        });
        var reconcileId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["ReconcileId"] = reconcileId, ["Cluster"] = key });
        var started = _clock.GetTimestamp();
        ReconcileOutcome outcome;
        try
        {
            outcome = await _store.WriteAsync(async (tx, ct) =>
            {
                await _elector.CheckTermAsync(tx);
                var objects = await ClusterObjects.LoadAsync(tx, key);
                if (objects is null)
                {
                    return ReconcileOutcome.Gone;
                }

                // Every write after a join commits after it, so this is above that join's epoch floor.
                var issuedAfter = await _store.GetResourceVersionAsync(ct);
                var pass = new ReconcilePass(objects, state, _registry, _logger, Now, _clock.GetUtcNow(), _store.StoreUid, issuedAfter, CountingFloor);
                var result = pass.Run();
                await pass.Plan.ExecuteAsync(tx);
                return result;
            }, cancellationToken);
        }
        catch (LeadershipLostException)
        {
            _metrics.Reconciled(ControllerMetrics.LeadershipLost, _clock.GetElapsedTime(started));
            _elector.StepDown();
            throw;
        }
        catch (Exception e) when (e is StoreException or IOException or TimeoutException or System.Data.Common.DbException)
        {
            var delay = session.Backoff.Next(key);
            _metrics.Reconciled(ControllerMetrics.Error, _clock.GetElapsedTime(started));
            LogReconcileFailed(e, key, session.Backoff.Failures(key), delay.TotalMilliseconds);
            session.Queue.AddAfter(key, delay);
            return;
        }

        session.Backoff.Forget(key);
        _metrics.Reconciled(ControllerMetrics.Success, _clock.GetElapsedTime(started));
        Apply(state, outcome);
        LogReconciled(key, outcome.Writes, _clock.GetElapsedTime(started).TotalMilliseconds);
        Reconciled?.Invoke(key, outcome.Writes);
    }

    private void Apply(ClusterState state, ReconcileOutcome outcome)
    {
        if (outcome.ClusterGone)
        {
            Forget(state.Key);
            return;
        }

        _metrics.FailedOver(outcome.Failovers);
        _metrics.JudgedDown(outcome.DownJudgements);
        if (outcome.Heartbeat is { } heartbeat)
        {
            _registry.SetHeartbeat(state.Key, heartbeat);
        }

        lock (state)
        {
            state.StartedAt = outcome.StartedAt;
            state.CountingFrom = outcome.CountingFrom;
            state.RatioEnd = outcome.RatioEnd;
            state.RatioUntil = outcome.RatioUntil;
            state.Judge = outcome.Judge;
            state.JudgedServers = outcome.JudgedServers;
            state.Held.Clear();
            state.Held.UnionWith(outcome.Held);
        }

        state.RecheckTimer?.ArmAt(outcome.RecheckAt);
        ArmDownTimer(state);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciled cluster {Cluster}: {Writes} writes in {Ms} ms")]
    private partial void LogReconciled(string cluster, int writes, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of cluster {Cluster} failed ({Failures} in a row); retrying in {DelayMs} ms")]
    private partial void LogReconcileFailed(Exception exception, string cluster, int failures, double delayMs);
}
