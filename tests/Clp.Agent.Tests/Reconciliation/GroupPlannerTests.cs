using Clp.Core.Model;
using Clp.Agent.Reconciliation;

namespace Clp.Agent.Tests.Reconciliation;

public class GroupPlannerTests
{
    private readonly Fixture _f = new();

    private GroupPlan PlanFor(Clp.Core.Model.Group group, long epochFloor = 50) =>
        GroupPlanner.Plan("s1", Fixture.Store, epochFloor, [group], _f.ByGroup, _f.Local).Single();

    [Fact]
    public void PlacedHere_StartsInDependencyOrder()
    {
        var plan = PlanFor(Fixture.NewGroup("S1"));
        Assert.True(plan.PlacedHere);
        Assert.Equal(["fip1", "disk1", "app1"], plan.Activate.Select(r => r.Metadata.Name));
        Assert.Empty(plan.Deactivate);
    }

    [Theory]
    [InlineData("s2", 100, Fixture.Store, "placed on another server")]
    [InlineData(null, 100, Fixture.Store, "placed nowhere")]
    [InlineData("s1", 100, "other-store", "issued by another store")]
    public void NotPlacedHere_StopsWhatRunsInReverseOrder_AndStartsNothing(string? current, long issuedAfter, string store, string why)
    {
        foreach (var name in new[] { "fip1", "disk1", "app1" })
        {
            _f.Local.SetResource(name, ObjectState.Online, 1, 1);
        }

        var plan = PlanFor(Fixture.NewGroup(current, issuedAfter: issuedAfter, store: store));
        Assert.False(plan.PlacedHere, why);
        Assert.Empty(plan.Activate);
        Assert.Equal(["app1", "disk1", "fip1"], plan.Deactivate.Select(r => r.Metadata.Name));
    }

    [Theory]
    [InlineData(50, "at the floor")]
    [InlineData(10, "below it")]
    public void PlacedHereBeforeTheJoin_KeepsWhatRuns_AndStartsNothing(long issuedAfter, string why)
    {
        _f.Local.SetResource("fip1", ObjectState.Online, 1, 1);
        var plan = PlanFor(Fixture.NewGroup("s1", issuedAfter: issuedAfter));
        Assert.True(plan.AwaitingReissue, why);
        Assert.False(plan.PlacedHere);
        Assert.Empty(plan.Activate);
        Assert.Empty(plan.Deactivate);
    }

    [Fact]
    public void AdoptedResources_AreNotStartedTwice_AndSpecChangesRestart()
    {
        _f.Local.SetResource("fip1", ObjectState.Online, 5, 1);
        _f.Local.SetResource("disk1", ObjectState.Online, 5, 1);
        _f.Resources.Single(r => r.Metadata.Name == "disk1").Metadata.Generation = 2;
        var plan = PlanFor(Fixture.NewGroup("s1"));
        Assert.Equal(["app1"], plan.Activate.Select(r => r.Metadata.Name));
        Assert.Equal(["disk1"], plan.Restart.Select(r => r.Metadata.Name));
    }

    [Fact]
    public void NothingRunning_NotPlaced_IsConverged()
    {
        Assert.True(PlanFor(Fixture.NewGroup("s2")).Converged);
    }
}
