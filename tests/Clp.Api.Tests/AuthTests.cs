using System.Net;
using System.Text;

namespace Clp.Api.Tests;

/// <summary>Authentication and each role rule, through HTTP.</summary>
public class AuthTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(string Cluster, Func<string, string?, Task<string>> NewKey)> ClusterWithKeysAsync()
    {
        var admin = factory.Client();
        var cluster = await admin.NewClusterAsync();
        await admin.NewServerAsync(cluster, "s1", 1);
        await admin.NewServerAsync(cluster, "s2", 2);
        await admin.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g1"}}""").Ok(HttpStatusCode.Created);
        async Task<string> NewKey(string role, string? server)
        {
            var name = Http.Fresh("k");
            var serverField = server is null ? "" : $",\"server\":\"{server}\"";
            var created = await admin.PostJson($"{Http.Base}/clusters/{cluster}/apikeys", "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"role\":\"" + role + "\"" + serverField + "}}").Ok(HttpStatusCode.Created);
            return (string)created["key"]!;
        }

        return (cluster, NewKey);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string because)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{because}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-known-key-at-all")]
    [InlineData("clp.c1.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Apis_WithoutValidKey_Answer401Problem(string? key)
    {
        var response = await factory.Client(key).GetAsync($"{Http.Base}/clusters");
        await AssertProblem(response, HttpStatusCode.Unauthorized, "no valid key");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/clp-api.json")]
    [InlineData("/swagger/index.html")]
    [InlineData("/metrics")]
    public async Task AnonymousEndpoints_Answer200WithoutKey(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await factory.Client(null).GetAsync(path)).StatusCode);

    [Fact]
    public async Task Viewer_Reads_ButCannotWrite()
    {
        var (cluster, newKey) = await ClusterWithKeysAsync();
        var viewer = factory.Client(await newKey("Viewer", null));
        await viewer.GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok();
        await AssertProblem(await viewer.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g2"}}"""), HttpStatusCode.Forbidden, "viewer spec write");
        await AssertProblem(await viewer.PostJson($"{Http.Base}/clusters/{cluster}/operations", $$$$"""{"spec":{"verb":"GroupStop","target":{"kind":"Group","name":"g1"}}}"""), HttpStatusCode.Forbidden, "viewer operation");
        await AssertProblem(await viewer.GetAsync($"{Http.Base}/clusters/{cluster}/apikeys"), HttpStatusCode.Forbidden, "viewer keys");
    }

    [Fact]
    public async Task Operator_CreatesOperations_ButCannotWriteSpecs()
    {
        var (cluster, newKey) = await ClusterWithKeysAsync();
        var op = factory.Client(await newKey("Operator", null));
        await op.PostJson($"{Http.Base}/clusters/{cluster}/operations", """{"spec":{"verb":"GroupStop","target":{"kind":"Group","name":"g1"}}}""").Ok(HttpStatusCode.Created);
        await AssertProblem(await op.PutJson($"{Http.Base}/clusters/{cluster}/groups/g1", """{"metadata":{"name":"g1"}}"""), HttpStatusCode.Forbidden, "operator spec write");
        await AssertProblem(await op.DeleteAsync($"{Http.Base}/clusters/{cluster}/groups/g1"), HttpStatusCode.Forbidden, "operator delete");
    }

    [Fact]
    public async Task ClusterAdmin_WritesItsCluster_Only()
    {
        var (cluster, newKey) = await ClusterWithKeysAsync();
        var (other, _) = await ClusterWithKeysAsync();
        var admin = factory.Client(await newKey("Admin", null));
        await admin.PostJson($"{Http.Base}/clusters/{cluster}/groups", """{"metadata":{"name":"g2"}}""").Ok(HttpStatusCode.Created);
        await AssertProblem(await admin.GetAsync($"{Http.Base}/clusters/{other}/groups"), HttpStatusCode.Forbidden, "other cluster");
        await AssertProblem(await admin.PostJson($"{Http.Base}/clusters", """{"metadata":{"name":"mine"},"spec":{"interconnects":[{"name":"lan1"}]}}"""), HttpStatusCode.Forbidden, "cluster create");
        var clusters = await admin.GetAsync($"{Http.Base}/clusters").Ok();
        Assert.Equal([cluster], clusters["items"]!.AsArray().Select(c => (string)c!["metadata"]!["name"]!));
    }

    [Fact]
    public async Task Agent_WritesOwnServerStatusAndEvents_AcquiresAndRenewsOwnLease_Only()
    {
        var (cluster, newKey) = await ClusterWithKeysAsync();
        var agent = factory.Client(await newKey("Agent", "s1"));
        var c = $"{Http.Base}/clusters/{cluster}";
        await agent.GetAsync($"{c}/groups").Ok();
        await agent.PutJson($"{c}/servers/s1/status", """{"phase":"Online","incarnation":1}""").Ok();
        await agent.PostJson($"{c}/leases/s1/acquire", """{"incarnation":1,"timeoutMs":5000}""").Ok();
        await agent.PostJson($"{c}/leases/s1/renew", """{"incarnation":1,"timeoutMs":5000}""").Ok();
        await agent.PostJson($"{c}/events", """{"spec":{"module":"agent","eventId":1,"message":"joined","server":"s1"}}""").Ok(HttpStatusCode.Created);

        await AssertProblem(await agent.PutJson($"{c}/servers/s2/status", """{"phase":"Offline"}"""), HttpStatusCode.Forbidden, "other server's status");
        await AssertProblem(await agent.PutJson($"{c}/servers/s1", """{"metadata":{"name":"s1"},"spec":{"priority":1,"interconnects":[{"interconnect":"lan1","address":"10.231.1.1"}]}}"""), HttpStatusCode.Forbidden, "own spec");
        await AssertProblem(await agent.PostJson($"{c}/leases/s2/acquire", """{"incarnation":1,"timeoutMs":5000}"""), HttpStatusCode.Forbidden, "other lease");
        await AssertProblem(await agent.PostJson($"{c}/leases/s2/renew", """{"incarnation":1,"timeoutMs":5000}"""), HttpStatusCode.Forbidden, "other lease's renewal");
        await AssertProblem(await agent.PostJson($"{c}/leases", """{"metadata":{"name":"s1"},"spec":{"holder":"s1","incarnation":9}}"""), HttpStatusCode.MethodNotAllowed, "direct lease write");
        await AssertProblem(await agent.PutJson($"{c}/groups/g1/status", """{"currentServer":"s1","epoch":1}"""), HttpStatusCode.Forbidden, "group status");
        await AssertProblem(await agent.GetAsync($"{c}/apikeys"), HttpStatusCode.Forbidden, "keys");
    }

    [Fact]
    public async Task DeletedKey_IsRevokedAtOnce_AndStoredOnlyHashed()
    {
        var (cluster, newKey) = await ClusterWithKeysAsync();
        var key = await newKey("Viewer", null);
        var viewer = factory.Client(key);
        await viewer.GetAsync($"{Http.Base}/clusters/{cluster}/groups").Ok();

        var listed = await factory.Client().GetAsync($"{Http.Base}/clusters/{cluster}/apikeys").Ok();
        Assert.DoesNotContain(key.Split('.')[3], listed.ToJsonString());
        var secret = Encoding.UTF8.GetBytes(key.Split('.')[3]);
        foreach (var file in Directory.GetFiles(factory.DataDirectory).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(secret) < 0, $"the key's secret is stored in {Path.GetFileName(file)}");
        }

        var name = key.Split('.')[2];
        await factory.Client().DeleteAsync($"{Http.Base}/clusters/{cluster}/apikeys/{name}").Ok();
        await AssertProblem(await viewer.GetAsync($"{Http.Base}/clusters/{cluster}/groups"), HttpStatusCode.Unauthorized, "revoked key");
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}

/// <summary>A first run without CLP_BOOTSTRAP_ADMIN_KEY.</summary>
public sealed class GeneratedKeyApiFactory : ApiFactory
{
    protected override string BootstrapKey => "";
}

public class BootstrapKeyTests(GeneratedKeyApiFactory factory) : IClassFixture<GeneratedKeyApiFactory>
{
    [Fact]
    public async Task FirstRun_WithoutConfiguredKey_WritesOwnerOnlyKeyFileThatWorks()
    {
        _ = factory.Server; // starts the app
        var path = Path.Combine(factory.DataDirectory, "bootstrap-admin.key");
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var key = (await File.ReadAllTextAsync(path)).Trim();
        await factory.Client(key).GetAsync($"{Http.Base}/clusters").Ok();
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client(ApiFactory.AdminKey).GetAsync($"{Http.Base}/clusters")).StatusCode);
    }
}
