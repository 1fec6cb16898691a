using System.Net;
using System.Text.Json.Nodes;

namespace Clp.Api.Tests;

/// <summary>Bad input, one row each: the status, the problem+json content type, a stable problem type and
/// the field the problem names. Never a 500.</summary>
public class InvalidRequestTests(InvalidRequestTests.World world) : IClassFixture<InvalidRequestTests.World>
{
    /// <summary>A cluster every row is sent against: servers s1, s2 (s2 reported it cannot run service
    /// resources); server group sg1; group g1 with fip1 and app1 (depends on fip1); group g2; group gsvc (s1
    /// only) with service resource svc1.</summary>
    public sealed class World : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();

        public string Cluster { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var client = Factory.Client();
            Cluster = await client.NewClusterAsync();
            await client.NewServerAsync(Cluster, "s1", 1);
            await client.NewServerAsync(Cluster, "s2", 2);
            var c = $"{Http.Base}/clusters/{Cluster}";
            await client.PostJson($"{c}/servergroups", """{"metadata":{"name":"sg1"},"spec":{"servers":["s1"]}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/groups", """{"metadata":{"name":"g1"},"spec":{"failoverPolicy":{"kind":"Servers","servers":["s1","s2"]}}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/groups", """{"metadata":{"name":"g2"}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/resources", """{"metadata":{"name":"fip1"},"spec":{"group":"g1","type":"fip","parameters":{"ip":"10.231.2.10"}}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/resources", """{"metadata":{"name":"app1"},"spec":{"group":"g1","type":"appli","dependsOn":["fip1"],"parameters":{"startCommand":"/bin/true"}}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/groups", """{"metadata":{"name":"gsvc"},"spec":{"failoverPolicy":{"kind":"Servers","servers":["s1"]}}}""").Ok(HttpStatusCode.Created);
            await client.PostJson($"{c}/resources", """{"metadata":{"name":"svc1"},"spec":{"group":"gsvc","type":"service","parameters":{"unit":"nginx.service"}}}""").Ok(HttpStatusCode.Created);
            await client.PutJson($"{c}/servers/s2/status", """{"phase":"Online","capabilities":{"unsupportedTypes":{"service":"systemd is not PID 1 there"}}}""").Ok();
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    public sealed record Case(string Method, string Path, string? Body, HttpStatusCode Status, string? Field, string ProblemType, string? IfMatch = null, string ContentType = "application/json");

    private const string Cl = "/apis/clp/v1/clusters";
    private const string C = "/apis/clp/v1/clusters/{c}";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["cluster name starts with '-'"] = new("POST", Cl, """{"metadata":{"name":"-bad"},"spec":{"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.BadRequest, "metadata.name", "validation-failed"),
        ["cluster name too long"] = new("POST", Cl, """{"metadata":{"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"spec":{"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.BadRequest, "metadata.name", "validation-failed"),
        ["heartbeat timeout below 3 intervals"] = new("POST", Cl, """{"metadata":{"name":"hb1"},"spec":{"heartbeat":{"intervalMs":3000,"timeoutMs":8999},"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.BadRequest, "spec.heartbeat.timeoutMs", "validation-failed"),
        ["heartbeat interval below 100 ms"] = new("POST", Cl, """{"metadata":{"name":"hb2"},"spec":{"heartbeat":{"intervalMs":50,"timeoutMs":3000},"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.BadRequest, "spec.heartbeat.intervalMs", "validation-failed"),
        ["no LAN interconnect"] = new("POST", Cl, """{"metadata":{"name":"nolan"},"spec":{"interconnects":[{"name":"w","type":"Witness","witnessUrl":"http://10.231.0.1/"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects", "validation-failed"),
        ["BMC heartbeat (no BMC reachable)"] = new("POST", Cl, """{"metadata":{"name":"bmc"},"spec":{"interconnects":[{"name":"lan1"},{"name":"bmc1","type":"Bmc"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[1].type", "validation-failed"),
        ["heartbeat port out of range"] = new("POST", Cl, """{"metadata":{"name":"port"},"spec":{"interconnects":[{"name":"lan1","port":70000}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[0].port", "validation-failed"),
        ["interconnect network not a CIDR"] = new("POST", Cl, """{"metadata":{"name":"badnet"},"spec":{"interconnects":[{"name":"lan1","network":"10.0.0.0/33"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[0].network", "validation-failed"),
        ["ping resolver target not an IP"] = new("POST", Cl, """{"metadata":{"name":"np1"},"spec":{"interconnects":[{"name":"lan1"}],"npResolvers":[{"name":"p","type":"Ping","targets":["gateway"]}]}}""", HttpStatusCode.BadRequest, "spec.npResolvers[0].targets[0]", "validation-failed"),
        ["duplicate cluster name in other case"] = new("POST", Cl, """{"metadata":{"name":"{C}"},"spec":{"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.Conflict, "metadata.name", "already-exists"),
        ["isolation action unknown"] = new("POST", Cl, """{"metadata":{"name":"iso1"},"spec":{"interconnects":[{"name":"lan1"}],"isolationAction":"Panic"}}""", HttpStatusCode.BadRequest, "spec.isolationAction", "validation-failed"),
        ["isolation action as a number"] = new("POST", Cl, """{"metadata":{"name":"iso2"},"spec":{"interconnects":[{"name":"lan1"}],"isolationAction":3}}""", HttpStatusCode.BadRequest, "spec.isolationAction", "validation-failed"),
        ["unknown field"] = new("POST", Cl, """{"metadata":{"name":"uf"},"spec":{"interconnects":[{"name":"lan1"}],"bogus":1}}""", HttpStatusCode.BadRequest, "spec.bogus", "validation-failed"),
        ["wrong JSON type"] = new("POST", Cl, """{"metadata":{"name":"wt"},"spec":{"heartbeat":{"intervalMs":"fast"},"interconnects":[{"name":"lan1"}]}}""", HttpStatusCode.BadRequest, "spec.heartbeat.intervalMs", "validation-failed"),
        ["malformed JSON"] = new("POST", Cl, "{\"metadata\":{\"name\":1", HttpStatusCode.BadRequest, null, "malformed-request"),
        ["not JSON content type"] = new("POST", Cl, "name=x", HttpStatusCode.UnsupportedMediaType, null, "unsupported-media-type", ContentType: "text/plain"),
        ["invalid label key"] = new("POST", $"{C}/groups", """{"metadata":{"name":"lbl","labels":{"-x":"y"}}}""", HttpStatusCode.BadRequest, "metadata.labels.-x", "validation-failed"),
        ["server address not an IP"] = new("POST", $"{C}/servers", """{"metadata":{"name":"s9"},"spec":{"priority":9,"interconnects":[{"interconnect":"lan1","address":"10.231.1.300"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[0].address", "validation-failed"),
        ["server on unknown interconnect"] = new("POST", $"{C}/servers", """{"metadata":{"name":"s9"},"spec":{"priority":9,"interconnects":[{"interconnect":"lan9","address":"10.231.1.9"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[0].interconnect", "validation-failed"),
        ["server address outside its network"] = new("POST", $"{C}/servers", """{"metadata":{"name":"s9"},"spec":{"priority":9,"interconnects":[{"interconnect":"lan1","address":"10.231.7.9"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects[0].address", "validation-failed"),
        ["server priority taken"] = new("POST", $"{C}/servers", """{"metadata":{"name":"s9"},"spec":{"priority":1,"interconnects":[{"interconnect":"lan1","address":"10.231.1.9"}]}}""", HttpStatusCode.BadRequest, "spec.priority", "validation-failed"),
        ["server no LAN reaching all"] = new("POST", $"{C}/servers", """{"metadata":{"name":"s9"},"spec":{"priority":9}}""", HttpStatusCode.BadRequest, "spec.interconnects", "validation-failed"),
        ["server group names unknown server"] = new("POST", $"{C}/servergroups", """{"metadata":{"name":"sg9"},"spec":{"servers":["nope"]}}""", HttpStatusCode.BadRequest, "spec.servers[0]", "validation-failed"),
        ["failover policy names unknown server"] = new("POST", $"{C}/groups", """{"metadata":{"name":"g9"},"spec":{"failoverPolicy":{"kind":"Servers","servers":["s1","nope"]}}}""", HttpStatusCode.BadRequest, "spec.failoverPolicy.servers[1]", "validation-failed"),
        ["failover policy without servers"] = new("POST", $"{C}/groups", """{"metadata":{"name":"g9"},"spec":{"failoverPolicy":{"kind":"Servers"}}}""", HttpStatusCode.BadRequest, "spec.failoverPolicy.servers", "validation-failed"),
        ["failover policy unknown server group"] = new("POST", $"{C}/groups", """{"metadata":{"name":"g9"},"spec":{"failoverPolicy":{"kind":"ServerGroups","serverGroups":["sg1","sg9"]}}}""", HttpStatusCode.BadRequest, "spec.failoverPolicy.serverGroups[1]", "validation-failed"),
        ["enum value unknown"] = new("POST", $"{C}/groups", """{"metadata":{"name":"g9"},"spec":{"startup":"Sometimes"}}""", HttpStatusCode.BadRequest, "spec.startup", "validation-failed"),
        ["resource in unknown group"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"nope","type":"fip","parameters":{"ip":"10.231.2.11"}}}""", HttpStatusCode.BadRequest, "spec.group", "validation-failed"),
        ["resource of unknown type"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"teleporter"}}""", HttpStatusCode.BadRequest, "spec.type", "validation-failed"),
        ["resource type Windows-only"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"vcom"}}""", HttpStatusCode.BadRequest, "spec.type", "validation-failed"),
        ["fip parameter not an IP"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"fip","parameters":{"ip":"10.231.2"}}}""", HttpStatusCode.BadRequest, "spec.parameters.ip", "validation-failed"),
        ["unknown type parameter"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"fip","parameters":{"ip":"10.231.2.12","bogus":true}}}""", HttpStatusCode.BadRequest, "spec.parameters.bogus", "validation-failed"),
        ["resource depends on itself"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"fip","dependsOn":["r9"],"parameters":{"ip":"10.231.2.13"}}}""", HttpStatusCode.BadRequest, "spec.dependsOn[0]", "validation-failed"),
        ["dependency on another group's resource"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g2","type":"fip","dependsOn":["fip1"],"parameters":{"ip":"10.231.2.14"}}}""", HttpStatusCode.BadRequest, "spec.dependsOn[0]", "validation-failed"),
        ["dependency cycle"] = new("PUT", $"{C}/resources/fip1", """{"metadata":{"name":"fip1"},"spec":{"group":"g1","type":"fip","dependsOn":["app1"],"parameters":{"ip":"10.231.2.10"}}}""", HttpStatusCode.BadRequest, "spec.dependsOn", "validation-failed"),
        ["resource in two groups"] = new("POST", $"{C}/resources", """{"metadata":{"name":"FIP1"},"spec":{"group":"g2","type":"fip","parameters":{"ip":"10.231.2.15"}}}""", HttpStatusCode.Conflict, "metadata.name", "already-exists"),
        ["depended-on resource moved to another group"] = new("PUT", $"{C}/resources/fip1", """{"metadata":{"name":"fip1"},"spec":{"group":"g2","type":"fip","parameters":{"ip":"10.231.2.10"}}}""", HttpStatusCode.BadRequest, "spec.group", "validation-failed"),
        ["interconnect removed while servers use it"] = new("PUT", C, """{"metadata":{"name":"{C}"},"spec":{"interconnects":[{"name":"lan9"}]}}""", HttpStatusCode.BadRequest, "spec.interconnects", "validation-failed"),
        ["resource type a server of the policy cannot run"] = new("POST", $"{C}/resources", """{"metadata":{"name":"r9"},"spec":{"group":"g1","type":"service","parameters":{"unit":"nginx.service"}}}""", HttpStatusCode.BadRequest, "spec.type", "validation-failed"),
        ["policy adds a server that cannot run a resource"] = new("PUT", $"{C}/groups/gsvc", """{"metadata":{"name":"gsvc"},"spec":{"failoverPolicy":{"kind":"Servers","servers":["s1","s2"]}}}""", HttpStatusCode.BadRequest, "spec.failoverPolicy.servers", "validation-failed"),
        ["resource type change"] = new("PUT", $"{C}/resources/fip1", """{"metadata":{"name":"fip1"},"spec":{"group":"g1","type":"script","parameters":{"startScript":"x"}}}""", HttpStatusCode.BadRequest, "spec.type", "validation-failed"),
        ["rename through PUT"] = new("PUT", $"{C}/groups/g2", """{"metadata":{"name":"g3"}}""", HttpStatusCode.BadRequest, "metadata.name", "validation-failed"),
        ["monitor target unknown"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"fipw","target":"nope"}}""", HttpStatusCode.BadRequest, "spec.target", "validation-failed"),
        ["monitor timing not allowed"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"fipw","timing":"Always","target":"fip1"}}""", HttpStatusCode.BadRequest, "spec.timing", "validation-failed"),
        ["monitor recovery group unknown"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"ipw","parameters":{"targets":["10.231.1.254"]},"recovery":{"targetKind":"Group","target":"nope"}}}""", HttpStatusCode.BadRequest, "spec.recovery.target", "validation-failed"),
        ["monitor interval zero"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"ipw","intervalSeconds":0,"parameters":{"targets":["10.231.1.254"]}}}""", HttpStatusCode.BadRequest, "spec.intervalSeconds", "validation-failed"),
        ["httpw url invalid"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"httpw","parameters":{"url":"not a url"}}}""", HttpStatusCode.BadRequest, "spec.parameters.url", "validation-failed"),
        ["tcpw port out of range"] = new("POST", $"{C}/monitors", """{"metadata":{"name":"m9"},"spec":{"type":"tcpw","parameters":{"host":"10.231.1.1","port":70000}}}""", HttpStatusCode.BadRequest, "spec.parameters.port", "validation-failed"),
        ["operation target of wrong kind"] = new("POST", $"{C}/operations", """{"spec":{"verb":"GroupMove","target":{"kind":"Server","name":"s1"}}}""", HttpStatusCode.BadRequest, "spec.target.kind", "validation-failed"),
        ["operation unknown parameter"] = new("POST", $"{C}/operations", """{"spec":{"verb":"GroupMove","target":{"kind":"Group","name":"g1"},"parameters":{"speed":"fast"}}}""", HttpStatusCode.BadRequest, "spec.parameters.speed", "validation-failed"),
        ["operation move to unknown server"] = new("POST", $"{C}/operations", """{"spec":{"verb":"GroupMove","target":{"kind":"Group","name":"g1"},"parameters":{"server":"nope"}}}""", HttpStatusCode.BadRequest, "spec.parameters.server", "validation-failed"),
        ["agent key without server"] = new("POST", $"{C}/apikeys", """{"metadata":{"name":"k9"},"spec":{"role":"Agent"}}""", HttpStatusCode.BadRequest, "spec.server", "validation-failed"),
        ["lease written directly"] = new("POST", $"{C}/leases", """{"metadata":{"name":"s1"},"spec":{"holder":"s2","incarnation":1}}""", HttpStatusCode.MethodNotAllowed, null, "method-not-allowed"),
        ["lease acquire timeout too short"] = new("POST", $"{C}/leases/s1/acquire", """{"incarnation":1,"timeoutMs":10}""", HttpStatusCode.BadRequest, "timeoutMs", "validation-failed"),
        ["lease acquire negative incarnation"] = new("POST", $"{C}/leases/s1/acquire", """{"incarnation":-1,"timeoutMs":3000}""", HttpStatusCode.BadRequest, "incarnation", "validation-failed"),
        ["lease acquire unknown field"] = new("POST", $"{C}/leases/s1/acquire", """{"incarnation":1,"timeoutMs":3000,"holder":"s2"}""", HttpStatusCode.BadRequest, "holder", "validation-failed"),
        ["lease acquire for unknown server"] = new("POST", $"{C}/leases/nope/acquire", """{"incarnation":1,"timeoutMs":3000}""", HttpStatusCode.NotFound, null, "not-found"),
        ["lease renew never acquired"] = new("POST", $"{C}/leases/s2/renew", """{"incarnation":1,"timeoutMs":3000}""", HttpStatusCode.Conflict, null, "lease-revoked"),
        ["lease renew ratio ack zero"] = new("POST", $"{C}/leases/s2/renew", """{"incarnation":1,"timeoutMs":3000,"timeoutRatioAck":0}""", HttpStatusCode.BadRequest, "timeoutRatioAck", "validation-failed"),
        ["status through patch"] = new("PATCH", $"{C}/groups/g2", """{"status":{"currentServer":"s1"}}""", HttpStatusCode.BadRequest, "status", "validation-failed", ContentType: "application/merge-patch+json"),
        ["stale If-Match"] = new("PUT", $"{C}/groups/g2", """{"metadata":{"name":"g2"}}""", HttpStatusCode.PreconditionFailed, null, "precondition-failed", IfMatch: "\"1\""),
        ["stale body resourceVersion"] = new("PUT", $"{C}/groups/g2", """{"metadata":{"name":"g2","resourceVersion":"1"}}""", HttpStatusCode.Conflict, null, "conflict"),
        ["delete group that resources name"] = new("DELETE", $"{C}/groups/g1", null, HttpStatusCode.Conflict, null, "has-dependents"),
        ["delete server that a group names"] = new("DELETE", $"{C}/servers/s2", null, HttpStatusCode.Conflict, null, "has-dependents"),
        ["delete non-empty cluster"] = new("DELETE", C, null, HttpStatusCode.Conflict, null, "has-dependents"),
        ["get unknown server"] = new("GET", $"{C}/servers/nope", null, HttpStatusCode.NotFound, null, "not-found"),
        ["list in unknown cluster"] = new("GET", $"{Cl}/nope/servers", null, HttpStatusCode.NotFound, null, "not-found"),
        ["bad label selector"] = new("GET", $"{C}/servers?labelSelector=a%20in%20b", null, HttpStatusCode.BadRequest, "labelSelector", "invalid-parameter"),
        ["limit not a number"] = new("GET", $"{C}/servers?limit=abc", null, HttpStatusCode.BadRequest, "limit", "invalid-parameter"),
        ["limit zero"] = new("GET", $"{C}/servers?limit=0", null, HttpStatusCode.BadRequest, "limit", "invalid-parameter"),
        ["event severity unknown"] = new("GET", $"{C}/events?severity=Loud", null, HttpStatusCode.BadRequest, "severity", "invalid-parameter"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadRequest_IsAnsweredWithProblemNamingTheField(string name)
    {
        var row = Cases[name];
        var path = row.Path.Replace("{c}", world.Cluster, StringComparison.Ordinal);
        var body = row.Body?.Replace("{C}", world.Cluster.ToUpperInvariant(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (body is not null)
        {
            request.Content = Http.Json(body, row.ContentType);
        }

        if (row.IfMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", row.IfMatch);
        }

        var response = await world.Factory.Client().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(row.Status == response.StatusCode, $"{name}: expected {(int)row.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal($"urn:clp:problem:{row.ProblemType}", (string?)problem["type"]);
        Assert.Equal((int)row.Status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), $"{name}: the problem has no detail");
        if (row.Field is not null)
        {
            var fields = problem["violations"]!.AsArray().Select(v => (string)v!["field"]!).ToList();
            Assert.True(fields.Contains(row.Field), $"{name}: expected field {row.Field}, got [{string.Join(", ", fields)}]");
            Assert.NotNull(problem["errors"]![row.Field]);
        }
    }

    [Fact]
    public void Table_HasAtLeast25DistinctRows() => Assert.True(Cases.Count >= 25, $"{Cases.Count} rows");
}
