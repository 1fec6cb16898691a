using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using Clp.Core.Model;
using Clp.Core.Validation;
using static Clp.Core.Tests.Catalog.CatalogJson;

namespace Clp.Core.Tests.Catalog;

/// <summary>AutoMonitorsFor and ClusterDefaultMonitors.</summary>
public sealed class TypeCatalogAutoMonitorTests
{
    private static readonly TypeCatalog Catalog = TypeCatalog.Default;

    private static ResourceSpec Spec(string type, string parameters = "{}") =>
        new() { Group = "failover1", Type = type, Parameters = Obj(parameters) };

    public static TheoryData<string, string, string, string> SingleMonitorRows { get; } = new()
    {
        { "fip", "{'ip':'10.231.1.10'}", "fip1", "fipw" },
        { "appli", "{'startCommand':'x'}", "appli1", "appliw" },
        { "appli", "{'startCommand':'x','resident':true}", "appli1", "appliw" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt'}", "sd1", "sdw" },
        { "service", "{'unit':'nginx.service'}", "svc1", "servicew" },
    };

    [Theory]
    [MemberData(nameof(SingleMonitorRows))]
    public void AutoMonitorsFor_ResourceWithOneAutoMonitor_ReturnsItTargetingTheResource(string type, string parameters, string resource, string monitorType)
    {
        var (name, spec) = Assert.Single(Catalog.AutoMonitorsFor(resource, Spec(type, parameters)));

        Assert.Equal($"{monitorType}-{resource}", name);
        Assert.Equal(monitorType, spec.Type);
        Assert.Equal(MonitorTiming.Active, spec.Timing);
        Assert.Equal(resource, spec.Target);
        Assert.Equal(RecoveryTargetKind.Resource, spec.Recovery.TargetKind);
        Assert.Equal(resource, spec.Recovery.Target);
        Assert.Empty(Catalog.ValidateParameters(Type(monitorType), spec.Parameters));
        Assert.Contains(type, Type(monitorType).TargetResourceTypes);
    }

    [Fact]
    public void AutoMonitorsFor_NonResidentAppli_ReturnsNone() =>
        Assert.Empty(Catalog.AutoMonitorsFor("appli1", Spec("appli", "{'startCommand':'x','stopCommand':'y','resident':false}")));

    [Fact]
    public void AutoMonitorsFor_Md_ReturnsMirrorDiskAndMirrorConnectMonitors()
    {
        var monitors = Catalog.AutoMonitorsFor("md1", Spec("md"));

        Assert.Equal([("mdw-md1", "mdw"), ("mdnw-md1", "mdnw")], monitors.Select(m => (m.Name, m.Spec.Type)));
        Assert.All(monitors, m => Assert.Equal(("md1", MonitorTiming.Always), (m.Spec.Target, m.Spec.Timing!.Value)));
    }

    [Fact]
    public void AutoMonitorsFor_Hd_ReturnsHybridDiskMonitors() =>
        Assert.Equal(["hdw-hd1", "hdtw-hd1"], Catalog.AutoMonitorsFor("hd1", Spec("hd")).Select(m => m.Name));

    [Theory]
    [InlineData("script")]
    [InlineData("vip")]
    [InlineData("nosuchtype")]
    [InlineData("FIP")]
    public void AutoMonitorsFor_TypeWithoutAutoMonitorsOrUnknown_ReturnsNone(string type) =>
        Assert.Empty(Catalog.AutoMonitorsFor("res1", Spec(type)));

    [Fact]
    public void AutoMonitorsFor_LongResourceNames_ProduceValidDistinctStableNames()
    {
        var longA = new string('a', 30) + "1";
        var longB = new string('a', 30) + "2";
        var names = new List<string>();
        foreach (var type in Catalog.ResourceTypes.Where(t => t.AutoMonitors.Count > 0))
        {
            foreach (var resource in new[] { longA, longB, "x", new string('b', 24) })
            {
                names.AddRange(Catalog.AutoMonitorsFor(resource, Spec(type.Type, "{'startCommand':'x'}")).Select(m => m.Name));
            }
        }

        Assert.Equal(6 * 4 + 2 * 4, names.Count);
        Assert.All(names, n => Assert.True(Names.IsValid(n), n));
        Assert.Equal(names.Count, names.Select(Names.Key).Distinct().Count());
        Assert.Equal(names.First(), Catalog.AutoMonitorsFor(longA, Spec("appli", "{'startCommand':'x'}"))[0].Name);
    }

    [Fact]
    public void AutoMonitorsFor_NameAtTheLimit_IsNotShortened() =>
        Assert.Equal("fipw-" + new string('f', 26), Catalog.AutoMonitorsFor(new string('f', 26), Spec("fip"))[0].Name);

    [Fact]
    public void AutoMonitorsFor_NameOneCharacterPastTheLimit_IsShortenedWithHash()
    {
        var name = Catalog.AutoMonitorsFor(new string('f', 27), Spec("fip"))[0].Name;

        Assert.Equal(31, name.Length);
        Assert.Matches("^fipw-f{19}-[0-9a-f]{6}$", name);
    }

    [Fact]
    public void AutoMonitorsFor_ResourceNamesDifferingInCase_ProduceTheSameHash()
    {
        var lower = Catalog.AutoMonitorsFor(new string('f', 31), Spec("fip"))[0].Name;
        var upper = Catalog.AutoMonitorsFor(new string('F', 31), Spec("fip"))[0].Name;

        Assert.Equal(Names.Key(lower), Names.Key(upper));
    }

    [Fact]
    public void AutoMonitorsFor_NameTaken_AppendsACounter()
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "fipw-fip1", "FIPW-FIP1-2" };

        var (name, _) = Assert.Single(Catalog.AutoMonitorsFor("fip1", Spec("fip"), taken.Contains));

        Assert.Equal("fipw-fip1-3", name);
    }

    [Fact]
    public void AutoMonitorsFor_LongNameTaken_StaysWithinTheNameRule()
    {
        var first = Catalog.AutoMonitorsFor(new string('f', 31), Spec("fip"))[0].Name;

        var (name, _) = Assert.Single(Catalog.AutoMonitorsFor(new string('f', 31), Spec("fip"), n => n == first));

        Assert.True(Names.IsValid(name), name);
        Assert.NotEqual(first, name);
        Assert.EndsWith("-2", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-fip")]
    [InlineData("fip 1")]
    [InlineData("abcdefghijabcdefghijabcdefghijab")]
    public void AutoMonitorsFor_InvalidResourceName_Throws(string resource) =>
        Assert.Throws<ArgumentException>(() => Catalog.AutoMonitorsFor(resource, Spec("fip")));

    [Fact]
    public void AutoMonitorsFor_Call_DoesNotModifyTheResource()
    {
        var resource = Spec("appli", "{'startCommand':'x'}");

        Catalog.AutoMonitorsFor("appli1", resource);

        Assert.Equal("{\"startCommand\":\"x\"}", resource.Parameters.ToJsonString());
    }

    [Fact]
    public void ClusterDefaultMonitors_Default_IsUserwOnLocalServer()
    {
        var (name, spec) = Assert.Single(Catalog.ClusterDefaultMonitors());

        Assert.Equal("userw", name);
        Assert.Equal("userw", spec.Type);
        Assert.Equal(MonitorTiming.Always, spec.Timing);
        Assert.Null(spec.Target);
        Assert.Equal(3, spec.IntervalSeconds);
        Assert.Equal(RecoveryTargetKind.LocalServer, spec.Recovery.TargetKind);
        Assert.Equal(FinalAction.None, spec.Recovery.FinalAction);
        Assert.True(JsonNode.DeepEquals(Obj("{'method':'timer','stallThresholdSeconds':10}"), spec.Parameters));
        Assert.Empty(Catalog.ValidateParameters(Type("userw"), spec.Parameters));
    }

    [Fact]
    public void ClusterDefaultMonitors_EachCall_ReturnsFreshSpecs()
    {
        var first = Catalog.ClusterDefaultMonitors()[0].Spec;
        first.Parameters["method"] = "none";

        Assert.Equal("timer", Catalog.ClusterDefaultMonitors()[0].Spec.Parameters["method"]!.GetValue<string>());
    }
}
