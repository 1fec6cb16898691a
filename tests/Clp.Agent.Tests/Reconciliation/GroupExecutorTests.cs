using Clp.Agent.Reconciliation;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Agent.Tests.Reconciliation;

public class GroupExecutorTests
{
    private readonly Fixture _f = new();
    private bool _fresh = true;

    private GroupExecutor Executor() =>
        new("c1", "s1", _f.Drivers, _f.Local, _ => _fresh, _f.Time, NullLogger<GroupExecutor>.Instance);

    private GroupPlan Plan(string? current) => GroupPlanner.Plan("s1", Fixture.Store, 50, [Fixture.NewGroup(current)], _f.ByGroup, _f.Local).Single();

    [Fact]
    public async Task Activate_ThenMoveAway_StartsAndStopsInOrder()
    {
        var executor = Executor();
        Assert.Equal(PlanOutcomeKind.Converged, (await executor.ExecuteAsync(Plan("s1"), GroupEvent.Start, CancellationToken.None)).Kind);
        Assert.Equal(["fip1", "disk1", "app1"], _f.World.History.Where(h => h.Active).Select(h => h.Resource));
        Assert.Equal(ObjectState.Online, _f.Local.Group("g1")!.State);

        Assert.Equal(PlanOutcomeKind.Converged, (await executor.ExecuteAsync(Plan("s2"), GroupEvent.Move, CancellationToken.None)).Kind);
        Assert.Equal(["app1", "disk1", "fip1"], _f.World.History.Where(h => !h.Active).Select(h => h.Resource));
        Assert.Equal(ObjectState.Offline, _f.Local.Group("g1")!.State);
        Assert.Empty(_f.World.ActiveOn("fip1"));
    }

    [Fact]
    public async Task StaleLease_DefersBeforeStartingAStep()
    {
        _fresh = false;
        var outcome = await Executor().ExecuteAsync(Plan("s1"), GroupEvent.Start, CancellationToken.None);
        Assert.Equal(PlanOutcomeKind.Deferred, outcome.Kind);
        Assert.Empty(_f.World.History);
    }

    [Fact]
    public async Task ActivationFailure_RetriesThenRequestsFailoverThenFinalAction()
    {
        var disk = _f.Resources.Single(r => r.Metadata.Name == "disk1");
        disk.Spec.Activation = new ActivationRecovery { RetryCount = 1, FailoverThreshold = 1, FinalAction = FinalAction.StopGroup };
        _f.World.FailActivation("s1", "disk1");
        var executor = Executor();
        var kinds = new List<PlanOutcomeKind>();
        for (var i = 0; i < 4; i++)
        {
            kinds.Add((await executor.ExecuteAsync(Plan("s1"), GroupEvent.Start, CancellationToken.None)).Kind);
        }

        // Each placement gets its retries again (the failover resets them); past the threshold, the final action.
        Assert.Equal([PlanOutcomeKind.Failed, PlanOutcomeKind.FailoverRequested, PlanOutcomeKind.Failed, PlanOutcomeKind.FinalAction], kinds);
        Assert.Equal(ObjectState.OnlineFailure, _f.Local.Resource("disk1")!.State);
        Assert.Contains("simulated activation failure", _f.Local.Resource("disk1")!.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(_f.World.History, h => h.Resource == "app1");
    }

    [Fact]
    public async Task ActivationTimeout_IsAFailure_NotACancellation()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new Dictionary<string, IResourceDriver>(_f.Drivers, StringComparer.Ordinal)
        {
            ["fip"] = new Entering(new Clp.Drivers.Simulated.SimulatedResourceDriver("fip", "s1", _f.World, _f.Time, TimeSpan.FromSeconds(30)), entered),
        };
        var executor = new GroupExecutor("c1", "s1", slow, _f.Local, _ => true, _f.Time, NullLogger<GroupExecutor>.Instance);
        var run = executor.ExecuteAsync(Plan("s1"), GroupEvent.Start, CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ObjectState.OnlinePending, _f.Local.Resource("fip1")?.State);
        _f.Time.Advance(TimeSpan.FromSeconds(10));
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(PlanOutcomeKind.Converged, outcome.Kind);
        Assert.Contains("timed out", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_f.World.ActiveOn("fip1"));
    }

    /// <summary>Signals when an activation has begun (its step timeout is armed by then).</summary>
    private sealed class Entering(IResourceDriver inner, TaskCompletionSource entered) : IResourceDriver
    {
        public string Type => inner.Type;

        public Task ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
        {
            var activation = inner.ActivateAsync(context, cancellationToken);
            entered.TrySetResult();
            return activation;
        }

        public Task DeactivateAsync(ResourceContext context, CancellationToken cancellationToken) => inner.DeactivateAsync(context, cancellationToken);

        public Task<ProbeResult> ProbeAsync(ResourceContext context, CancellationToken cancellationToken) => inner.ProbeAsync(context, cancellationToken);
    }
}
