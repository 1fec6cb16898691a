using System.Text.Json;
using Clp.Controller.Options;
using Clp.Core.Json;
using Clp.Core.Store;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging;

namespace Clp.Controller.Leadership;

/// <summary>One controller acts at a time: a leader lease in the store with a term that increases on
/// every takeover, checked inside every controller write (DESIGN rule 6).</summary>
/// <remarks>
/// <para>Algorithm (as Kubernetes' leader election, without comparing clocks across machines): the
/// leader rewrites the lease every <see cref="ControllerOptions.LeaderRenewInterval"/>; a standby
/// remembers the lease's resourceVersion and when it first saw it on its OWN clock, and takes over with
/// term + 1 only after the lease has not changed for <see cref="ControllerOptions.LeaderLeaseDuration"/>.
/// A released lease (empty holder) is taken at once.</para>
/// <para>Safety does not rest on timing: <see cref="CheckTermAsync"/> runs in the same serializable
/// transaction as each controller write and refuses it when another term holds the lease, so a deposed
/// leader that has not noticed yet cannot write.</para>
/// <para>Failure mode: a leader that cannot write its lease for a whole lease duration (store down,
/// process paused) is replaced; its next write fails with <see cref="LeadershipLostException"/> and it
/// stops acting.</para>
/// </remarks>
internal sealed partial class LeaderElector(IResourceStore store, TimeProvider clock, ControllerOptions options, ILogger<LeaderElector> logger)
{
    private static readonly ObjectKey LeaseKey = new(ControllerLease.KindName, "", ControllerLease.Name);

    private long _observedVersion = -1;
    private Instant _observedAt;

    public string Identity => options.Identity;

    /// <summary>The term this instance leads with; 0 when it does not lead.</summary>
    public long Term { get; private set; }

    public bool IsLeader => Term > 0;

    /// <summary>One round: takes the lease if free or expired, renews it if held. True when this
    /// instance leads afterwards.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var term = await store.WriteAsync(async (tx, _) =>
        {
            var stored = await tx.GetAsync(LeaseKey);
            var now = Now;
            if (stored is null)
            {
                await tx.CreateAsync(LeaseKey, Serialize(new ControllerLeaseSpec { Holder = Identity, Term = 1, LeaseDurationMs = DurationMs }));
                return 1L;
            }

            var spec = Read(stored);
            if (spec.Holder == Identity && spec.Term == Term && Term > 0)
            {
                await tx.UpdateAsync(LeaseKey, Serialize(spec with { Renewals = spec.Renewals + 1, LeaseDurationMs = DurationMs }), stored.ResourceVersion, false);
                return Term;
            }

            if (stored.ResourceVersion != _observedVersion)
            {
                (_observedVersion, _observedAt) = (stored.ResourceVersion, now);
            }

            var expired = now - _observedAt >= TimeSpan.FromMilliseconds(Math.Max(spec.LeaseDurationMs, DurationMs));
            if (spec.Holder.Length == 0 || expired)
            {
                var next = spec.Term + 1;
                await tx.UpdateAsync(LeaseKey, Serialize(new ControllerLeaseSpec { Holder = Identity, Term = next, LeaseDurationMs = DurationMs }), stored.ResourceVersion, false);
                return next;
            }

            return 0L;
        }, cancellationToken);

        if (term > 0 && term != Term)
        {
            LogBecameLeader(Identity, term);
        }
        else if (term == 0 && Term > 0)
        {
            LogLostLeadership(Identity, Term);
        }

        Term = term;
        return term > 0;
    }

    /// <summary>Throws <see cref="LeadershipLostException"/> unless this instance's term holds the lease;
    /// call first in every controller write transaction.</summary>
    public async Task CheckTermAsync(IStoreTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var term = Term;
        var stored = await tx.GetAsync(LeaseKey);
        var spec = stored is null ? null : Read(stored);
        if (term == 0 || spec is null || spec.Holder != Identity || spec.Term != term)
        {
            throw new LeadershipLostException(
                $"controller {Identity} writes with term {term}, but the leader lease is held by '{spec?.Holder}' with term {spec?.Term}");
        }
    }

    /// <summary>Gives the lease up (graceful stop) so a successor takes over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (Term == 0)
        {
            return;
        }

        var term = Term;
        Term = 0;
        await store.WriteAsync(async (tx, _) =>
        {
            var stored = await tx.GetAsync(LeaseKey);
            if (stored is not null && Read(stored) is { } spec && spec.Holder == Identity && spec.Term == term)
            {
                await tx.UpdateAsync(LeaseKey, Serialize(spec with { Holder = "" }), stored.ResourceVersion, false);
            }

            return true;
        }, cancellationToken);
        LogReleased(Identity, term);
    }

    /// <summary>Forgets leadership without writing (after a failed renewal round).</summary>
    public void StepDown() => Term = 0;

    private Instant Now => Instant.FromTimestamp(clock.GetTimestamp(), clock.TimestampFrequency);

    private int DurationMs => (int)Math.Min(int.MaxValue, options.LeaderLeaseDuration.TotalMilliseconds);

    private static string Serialize(ControllerLeaseSpec spec) =>
        JsonSerializer.Serialize(new ControllerLease { Spec = spec }, ClpJson.Options);

    private static ControllerLeaseSpec Read(StoredObject stored) =>
        JsonSerializer.Deserialize<ControllerLease>(stored.Json, ClpJson.StoredOptions)?.Spec ?? new ControllerLeaseSpec();

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Identity} leads with term {Term}")]
    private partial void LogBecameLeader(string identity, long term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controller {Identity} lost leadership (term {Term})")]
    private partial void LogLostLeadership(string identity, long term);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {Identity} released the leader lease (term {Term})")]
    private partial void LogReleased(string identity, long term);
}
