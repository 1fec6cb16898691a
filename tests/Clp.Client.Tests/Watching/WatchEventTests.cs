using System.Text.Json;
using Clp.Client.Watching;
using Clp.Core.Model;

namespace Clp.Client.Tests.Watching;

/// <summary>A watch event reads its object as its kind's model type, tolerates members a newer server adds,
/// and refuses to be read as another kind.</summary>
public class WatchEventTests
{
    private static readonly JsonElement GroupJson = JsonDocument.Parse("""
        {"apiVersion":"clp/v1","kind":"Group","metadata":{"name":"g1","cluster":"c1","resourceVersion":"7"},
         "spec":{"startup":"Manual","futureField":true},"status":{"currentServer":"s1","epoch":3}}
        """).RootElement;

    [Fact]
    public void As_ItsKind_ReadsTheObjectSkippingUnknownMembers()
    {
        var e = WatchEvent.Change(WatchEventType.Modified, 7, GroupJson);

        var group = e.As<Group>();

        Assert.Equal(("Group", "g1", "c1"), (e.Kind, e.Name, e.Cluster));
        Assert.Equal((StartupAttribute.Manual, "s1", 3L), (group.Spec.Startup, group.Status?.CurrentServer, group.Status?.Epoch ?? 0));
        Assert.IsType<Group>(e.AsObject());
    }

    [Fact]
    public void As_AnotherKind_Throws()
    {
        var e = WatchEvent.Change(WatchEventType.Added, 7, GroupJson);

        var error = Assert.Throws<InvalidOperationException>(e.As<Server>);

        Assert.Contains("Group, not a Server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relisted_CarriesNoObject()
    {
        var e = WatchEvent.Relisted(42);

        Assert.Equal((WatchEventType.Relisted, 42L, JsonValueKind.Undefined), (e.Type, e.ResourceVersion, e.Object.ValueKind));
        Assert.Throws<InvalidOperationException>(e.AsObject);
        Assert.Equal("Relisted at 42", e.ToString());
    }

    [Fact]
    public void ToJsonObject_IsACopy()
    {
        var e = WatchEvent.Change(WatchEventType.Added, 7, GroupJson);

        e.ToJsonObject()["kind"] = "Changed";

        Assert.Equal("Group", e.ToJsonObject()["kind"]!.GetValue<string>());
    }
}
