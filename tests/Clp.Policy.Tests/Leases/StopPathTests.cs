using Clp.Core.Model;
using Clp.Policy.Leases;

namespace Clp.Policy.Tests.Leases;

public class StopPathTests
{
    private static Resource R(string name, int stopSeconds, params string[] dependsOn) => new()
    {
        Metadata = new() { Name = name },
        Spec = new() { Group = "g", Type = "script", StopTimeoutSeconds = stopSeconds, DependsOn = [.. dependsOn] },
    };

    [Fact]
    public void OfGroup_ChainBeatsALongerSingleResource()
    {
        var group = new[] { R("fip", 10), R("disk", 20, "fip"), R("app", 5, "disk"), R("other", 30) };

        Assert.Equal(TimeSpan.FromSeconds(35), StopPath.OfGroup(group));
    }

    [Fact]
    public void OfGroup_Diamond_TakesTheLongestBranch()
    {
        var group = new[] { R("a", 10), R("b", 5, "a"), R("c", 7, "A"), R("d", 1, "b", "c") };

        Assert.Equal(TimeSpan.FromSeconds(18), StopPath.OfGroup(group));
    }

    [Fact]
    public void OfGroup_DependencyOutsideTheGroup_IsIgnored()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), StopPath.OfGroup([R("a", 4, "elsewhere")]));
    }

    [Fact]
    public void OfGroup_Cycle_ErrsLongWithTheSumOfAll()
    {
        var group = new[] { R("a", 10, "b"), R("b", 20, "a"), R("c", 5) };

        Assert.Equal(TimeSpan.FromSeconds(35), StopPath.OfGroup(group));
    }

    [Fact]
    public void OfServer_GroupsStopInParallel()
    {
        Assert.Equal(TimeSpan.FromSeconds(9), StopPath.OfServer([[R("a", 4), R("b", 5, "a")], [R("c", 8)]]));
        Assert.Equal(TimeSpan.Zero, StopPath.OfServer([]));
    }
}
