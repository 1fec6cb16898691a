using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Core.Model;
using Clp.Drivers.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Tests.Reconciliation;

/// <summary>A group g1 with fip1 &lt;- disk1 &lt;- app1 (app1 depends on disk1, disk1 on fip1) for server s1,
/// over simulated drivers.</summary>
internal sealed class Fixture
{
    public const string Store = "store-1";

    public FakeTimeProvider Time { get; } = new();

    public SimulatedWorld World { get; }

    public Clp.Agent.Reconciliation.LocalState Local { get; }

    public IReadOnlyDictionary<string, IResourceDriver> Drivers { get; }

    public List<Resource> Resources { get; } =
    [
        NewResource("app1", "appli", "disk1"),
        NewResource("disk1", "sd", "fip1"),
        NewResource("fip1", "fip"),
    ];

    public Fixture()
    {
        World = new SimulatedWorld(Time);
        Local = new Clp.Agent.Reconciliation.LocalState(Time);
        Drivers = SimulatedDrivers.ResourceDrivers("s1", World, Time).ToDictionary(d => d.Type);
    }

    public Dictionary<string, List<Resource>> ByGroup => new(StringComparer.OrdinalIgnoreCase) { ["g1"] = Resources };

    public static Resource NewResource(string name, string type, params string[] dependsOn) => new()
    {
        Kind = "Resource",
        Metadata = new ObjectMeta { Name = name, Generation = 1 },
        Spec = new ResourceSpec { Group = "g1", Type = type, DependsOn = [.. dependsOn], Parameters = new JsonObject(), StartTimeoutSeconds = 10, StopTimeoutSeconds = 10 },
    };

    public static Group NewGroup(string? current, long epoch = 5, long issuedAfter = 100, string store = Store) => new()
    {
        Kind = "Group",
        Metadata = new ObjectMeta { Name = "g1" },
        Status = new GroupStatus { CurrentServer = current, Epoch = epoch, StoreUid = store, IssuedAfter = issuedAfter },
    };
}
