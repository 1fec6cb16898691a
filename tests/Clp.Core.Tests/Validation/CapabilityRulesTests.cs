using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using Clp.Core.Model;
using Clp.Core.Validation;

namespace Clp.Core.Tests.Validation;

/// <summary>The capability rule, through the validator: a resource type a server of the group's failover
/// policy reported unsupported is refused naming the field, the server and its reason.</summary>
public class CapabilityRulesTests
{
    private const string Rule = "type-unsupported-on-server";
    private static readonly ObjectValidator Validator = new(TypeCatalog.Default);

    private static Cluster NewCluster() => new()
    {
        Kind = "Cluster",
        Metadata = new ObjectMeta { Name = "c1" },
        Spec = new ClusterSpec { Interconnects = [new InterconnectSpec { Name = "lan1" }] },
    };

    private static Server NewServer(string name, int priority, string? noService = null) => new()
    {
        Kind = "Server",
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServerSpec { Priority = priority, Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = $"10.0.0.{priority}" }] },
        Status = noService is null ? null : new ServerStatus { Capabilities = new ServerCapabilities { UnsupportedTypes = new() { ["service"] = noService } } },
    };

    private static Group NewGroup(FailoverPolicy policy) => new()
    {
        Kind = "Group",
        Metadata = new ObjectMeta { Name = "g1" },
        Spec = new GroupSpec { FailoverPolicy = policy },
    };

    private static Resource NewService() => new()
    {
        Kind = "Resource",
        Metadata = new ObjectMeta { Name = "svc1" },
        Spec = new ResourceSpec { Group = "g1", Type = "service", Parameters = new JsonObject { ["unit"] = "nginx.service" } },
    };

    private static ClusterSnapshot Snapshot(Group group, IEnumerable<Resource> resources, params Server[] servers) =>
        new(NewCluster(), servers, [], [group], resources, []);

    public static TheoryData<string, FailoverPolicyKind, string?, string?, bool> ResourceRows() => new()
    {
        { "listed server reported unsupported", FailoverPolicyKind.Servers, null, "no systemd", false },
        { "AllServers: any server reported unsupported", FailoverPolicyKind.AllServers, "no systemd", null, false },
        { "unlisted server reported unsupported", FailoverPolicyKind.Servers, "no systemd", null, true },
        { "no server reported", FailoverPolicyKind.AllServers, null, null, true },
    };

    /// <param name="s1">s1's reason (s1 is never in a Servers policy here); null: nothing reported.</param>
    /// <param name="s2">s2's reason; null: nothing reported.</param>
    [Theory]
    [MemberData(nameof(ResourceRows))]
    public void Resource_OfATypeAServerOfThePolicyCannotRun_IsRefused(string row, FailoverPolicyKind kind, string? s1, string? s2, bool accepted)
    {
        var policy = kind == FailoverPolicyKind.Servers ? new FailoverPolicy { Kind = kind, Servers = ["s2"] } : new FailoverPolicy { Kind = kind };
        var snapshot = Snapshot(NewGroup(policy), [], NewServer("s1", 1, s1), NewServer("s2", 2, s2));

        var errors = Validator.Validate(NewService(), snapshot).Where(e => e.Rule == Rule).ToList();

        Assert.True(accepted == (errors.Count == 0), $"{row}: {string.Join("; ", errors)}");
        if (!accepted)
        {
            var error = Assert.Single(errors);
            Assert.Equal("spec.type", error.Field);
            Assert.Equal("server s" + (s1 is null ? 2 : 1) + " cannot run service resources: no systemd", error.Message);
        }
    }

    [Fact]
    public void Resource_TypeMatchesCaseInsensitively()
    {
        var server = NewServer("s1", 1);
        server.Status = new ServerStatus { Capabilities = new ServerCapabilities { UnsupportedTypes = new() { ["Service"] = "no systemd" } } };
        var snapshot = Snapshot(NewGroup(new FailoverPolicy()), [], server);
        Assert.Contains(Validator.Validate(NewService(), snapshot), e => e.Rule == Rule);
    }

    [Fact]
    public void Group_AddingAServerThatCannotRunItsResource_IsRefused_KeepingItIsNot()
    {
        var stored = NewGroup(new FailoverPolicy { Kind = FailoverPolicyKind.Servers, Servers = ["s1"] });
        var snapshot = Snapshot(stored, [NewService()], NewServer("s1", 1), NewServer("s2", 2, "no systemd"));

        var widened = NewGroup(new FailoverPolicy { Kind = FailoverPolicyKind.Servers, Servers = ["s1", "s2"] });
        var error = Assert.Single(Validator.Validate(widened, snapshot), e => e.Rule == Rule);
        Assert.Equal("spec.failoverPolicy.servers", error.Field);
        Assert.Contains("server s2 cannot run service resources (resource svc1 of group g1): no systemd", error.Message, StringComparison.Ordinal);

        var unchanged = NewGroup(new FailoverPolicy { Kind = FailoverPolicyKind.Servers, Servers = ["s1"] });
        unchanged.Spec.Description = "an unrelated edit";
        Assert.DoesNotContain(Validator.Validate(unchanged, snapshot), e => e.Rule == Rule);
    }
}
