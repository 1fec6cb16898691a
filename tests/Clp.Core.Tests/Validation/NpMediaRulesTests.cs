using Clp.Core.Catalog;
using Clp.Core.Model;
using Clp.Core.Validation;

namespace Clp.Core.Tests.Validation;

/// <summary>The rules of the Disk and Com NP resolvers, from the Cluster side and from the Server side,
/// one row per rule (STYLE 34): a Disk resolver needs an absolute path; a Com resolver joins at most two
/// servers, each with an absolute device (the resolver's or its own <c>spec.npDevices</c> entry); path and
/// device are refused on other types; a server's device entry must name a Com resolver.</summary>
public class NpMediaRulesTests
{
    private static readonly ObjectValidator Validator = new(TypeCatalog.Default);

    /// <summary>What to validate: the candidate, the cluster's resolvers, and the other servers (name, own devices).</summary>
    public sealed record Case(Func<ClpObject> Candidate, List<NpResolverSpec> Resolvers, (string Name, ServerNpDevice[] Devices)[] Servers, string? Field, string? Rule);

    private static NpResolverSpec Disk(string? path = "/dev/disk/by-partlabel/clp-hb") => new() { Name = "disk1", Type = NpResolverType.Disk, Path = path };

    private static NpResolverSpec Com(string? device = "/dev/ttyS0", List<string>? servers = null) => new() { Name = "com1", Type = NpResolverType.Com, Device = device, Servers = servers };

    private static NpResolverSpec Ping() => new() { Name = "ping1", Type = NpResolverType.Ping, Targets = ["10.231.0.1"] };

    private static ServerNpDevice Own(string resolver, string device) => new() { Resolver = resolver, Device = device };

    private static Cluster ClusterWith(List<NpResolverSpec> resolvers) => new()
    {
        Kind = "Cluster",
        Metadata = new ObjectMeta { Name = "c1" },
        Spec = new ClusterSpec { Interconnects = [new InterconnectSpec { Name = "lan1" }], NpResolvers = resolvers },
    };

    private static Server ServerWith(string name, ServerNpDevice[] devices) => new()
    {
        Kind = "Server",
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServerSpec
        {
            Priority = int.Parse(name[^1..], System.Globalization.CultureInfo.InvariantCulture),
            Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = $"10.231.9.{name[^1..]}" }],
            NpDevices = devices.Length == 0 ? null : [.. devices],
        },
    };

    private static (string, ServerNpDevice[])[] Servers(params string[] names) => [.. names.Select(n => (n, Array.Empty<ServerNpDevice>()))];

    private static Case OnCluster(List<NpResolverSpec> resolvers, (string, ServerNpDevice[])[] servers, string? field, string? rule) =>
        new(() => ClusterWith(resolvers), resolvers, servers, field, rule);

    private static Case OnServer(string name, ServerNpDevice[] devices, List<NpResolverSpec> resolvers, (string, ServerNpDevice[])[] others, string? field, string? rule) =>
        new(() => ServerWith(name, devices), resolvers, others, field, rule);

    public static TheoryData<string, Case> Rows => new()
    {
        { "disk with an absolute path: accepted", OnCluster([Disk()], Servers("s1", "s2", "s3"), null, null) },
        { "disk without a path", OnCluster([Disk(path: null)], Servers("s1", "s2"), "spec.npResolvers[0].path", "required") },
        { "disk with a relative path", OnCluster([Disk(path: "shared/hb")], Servers("s1", "s2"), "spec.npResolvers[0].path", "absolute-path") },
        { "disk with a device", OnCluster([new NpResolverSpec { Name = "disk1", Type = NpResolverType.Disk, Path = "/hb", Device = "/dev/ttyS0" }], Servers("s1"), "spec.npResolvers[0].device", "not-allowed") },
        { "ping with a path", OnCluster([new NpResolverSpec { Name = "ping1", Type = NpResolverType.Ping, Targets = ["10.231.0.1"], Path = "/hb" }], Servers("s1"), "spec.npResolvers[0].path", "not-allowed") },
        { "com between two servers: accepted", OnCluster([Com()], Servers("s1", "s2"), null, null) },
        { "com with a path", OnCluster([new NpResolverSpec { Name = "com1", Type = NpResolverType.Com, Device = "/dev/ttyS0", Path = "/hb" }], Servers("s1", "s2"), "spec.npResolvers[0].path", "not-allowed") },
        { "com with a relative device", OnCluster([Com(device: "ttyS0")], Servers("s1", "s2"), "spec.npResolvers[0].device", "absolute-path") },
        { "com for every server of three", OnCluster([Com()], Servers("s1", "s2", "s3"), "spec.npResolvers[0].servers", "com-two-servers") },
        { "com listing three servers", OnCluster([Com(servers: ["s1", "s2", "s3"])], Servers("s1", "s2", "s3"), "spec.npResolvers[0].servers", "com-two-servers") },
        { "com listing two of three servers: accepted", OnCluster([Com(servers: ["s1", "s3"])], Servers("s1", "s2", "s3"), null, null) },
        { "com without a device, each server names its own: accepted", OnCluster([Com(device: null)], [("s1", [Own("com1", "/dev/ttyS0")]), ("s2", [Own("com1", "/dev/ttyUSB0")])], null, null) },
        { "com without a device, a server names none", OnCluster([Com(device: null)], [("s1", [Own("com1", "/dev/ttyS0")]), ("s2", [])], "spec.npResolvers[0].device", "device-required") },
        { "com turned into disk while a server names a device for it", OnCluster([new NpResolverSpec { Name = "com1", Type = NpResolverType.Disk, Path = "/hb" }], [("s1", [Own("com1", "/dev/ttyS0")])], "spec.npResolvers", "np-device-in-use") },
        { "server: a third server under a com for every server", OnServer("s3", [], [Com()], Servers("s1", "s2"), "metadata.name", "com-two-servers") },
        { "server: a third server outside a com's two: accepted", OnServer("s3", [], [Com(servers: ["s1", "s2"])], Servers("s1", "s2"), null, null) },
        { "server: its own device: accepted", OnServer("s2", [Own("com1", "/dev/ttyUSB0")], [Com(device: null)], [("s1", [Own("com1", "/dev/ttyS0")])], null, null) },
        { "server: no device under a com without one", OnServer("s2", [], [Com(device: null)], [("s1", [Own("com1", "/dev/ttyS0")])], "spec.npDevices", "device-required") },
        { "server: a device for an unknown resolver", OnServer("s1", [Own("com9", "/dev/ttyS0")], [Com()], [], "spec.npDevices[0].resolver", "unknown-reference") },
        { "server: a device for a ping resolver", OnServer("s1", [Own("ping1", "/dev/ttyS0")], [Ping()], [], "spec.npDevices[0].resolver", "com-resolver-required") },
        { "server: a relative device", OnServer("s1", [Own("com1", "ttyS0")], [Com()], [], "spec.npDevices[0].device", "absolute-path") },
        { "server: two devices for one resolver", OnServer("s1", [Own("com1", "/dev/ttyS0"), Own("com1", "/dev/ttyS1")], [Com()], [], "spec.npDevices[*].resolver[1]", "duplicate") },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Validate_NpMediaRule_ReportsTheFieldAndRule(string row, Case test)
    {
        var candidate = test.Candidate();
        var cluster = candidate as Cluster ?? ClusterWith(test.Resolvers);
        var servers = test.Servers.Select(s => ServerWith(s.Name, s.Devices)).ToList();
        var snapshot = new ClusterSnapshot(cluster, servers, [], [], [], []);

        var errors = Validator.Validate(candidate, snapshot);

        if (test.Field is null)
        {
            Assert.True(errors.Count == 0, $"{row}: expected no errors, got {string.Join("; ", errors.Select(e => $"{e.Field} {e.Rule}: {e.Message}"))}");
        }
        else
        {
            Assert.True(errors.Any(e => e.Field == test.Field && e.Rule == test.Rule),
                $"{row}: expected {test.Field} {test.Rule}, got {(errors.Count == 0 ? "none" : string.Join("; ", errors.Select(e => $"{e.Field} {e.Rule}")))}");
            Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        }
    }
}
