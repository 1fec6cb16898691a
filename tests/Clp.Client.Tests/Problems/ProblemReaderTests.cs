using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Clp.Client.Problems;
using Clp.Client.Tests.Support;
using Clp.Core.Model;
using Clp.Core.Problems;

namespace Clp.Client.Tests.Problems;

/// <summary>Every problem the API answers reaches the caller as the exception of its status, with the type,
/// the field it names and the rule.</summary>
public class ProblemReaderTests(ClpApiFactory factory) : IClassFixture<ClpApiFactory>
{
    [Fact]
    public async Task CreateServer_BreakingRules_ThrowsValidationNamingEachField()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var server = Sample.Server("s1", 1);
        server.Spec.Interconnects[0].Address = "10.9.9.9";
        server.Spec.PublicAddress = "not-an-ip";

        var e = await Assert.ThrowsAsync<ClpValidationException>(() => client.Servers.CreateServerAsync(cluster, server));

        Assert.Equal((400, ProblemTypes.ValidationFailed), (e.Status, e.Type));
        Assert.Contains(e.Violations, v => v.Field == "spec.publicAddress");
        Assert.Contains(e.Violations, v => v.Field == "spec.interconnects[0].address");
        Assert.All(e.Violations, v => Assert.False(string.IsNullOrEmpty(v.Rule), $"{v.Field} has no rule"));
        Assert.Equal($"/apis/clp/v1/clusters/{cluster}/servers", e.Instance);
    }

    [Fact]
    public async Task PatchServer_WrongJsonType_ThrowsValidationWithTypeRuleAtTheField()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.Servers.CreateServerAsync(cluster, Sample.Server("s1", 1));

        var e = await Assert.ThrowsAsync<ClpValidationException>(() =>
            client.Servers.PatchServerAsync(cluster, "s1", new JsonObject { ["spec"] = new JsonObject { ["priority"] = "first" } }));

        Assert.Equal(ProblemTypes.ValidationFailed, e.Type);
        Assert.Equal(("spec.priority", "type"), (Assert.Single(e.Violations).Field, e.Violations[0].Rule));
    }

    [Fact]
    public async Task EnsureClpSuccess_BrokenJson_ThrowsValidationWithMalformedRequest()
    {
        var cluster = await factory.Client().NewClusterAsync();
        var response = await factory.HttpClient().PostAsync($"/apis/clp/v1/clusters/{cluster}/groups", new StringContent("""{"metadata":""", Encoding.UTF8, "application/json"));

        var e = await Assert.ThrowsAsync<ClpValidationException>(() => response.EnsureClpSuccessAsync());

        Assert.Equal(ProblemTypes.MalformedRequest, e.Type);
        Assert.Equal("malformed", Assert.Single(e.Violations).Rule);
    }

    [Fact]
    public async Task ListServers_LimitOutOfRange_ThrowsValidationWithInvalidParameter()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();

        var e = await Assert.ThrowsAsync<ClpValidationException>(() => client.Servers.ListServersAsync(cluster, limit: 0));

        Assert.Equal(ProblemTypes.InvalidParameter, e.Type);
        Assert.Equal("limit", Assert.Single(e.Violations).Field);
    }

    [Fact]
    public async Task CreateServer_NameTaken_ThrowsConflictAlreadyExistsNamingTheName()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        await client.Servers.CreateServerAsync(cluster, Sample.Server("s1", 1));

        var e = await Assert.ThrowsAsync<ClpConflictException>(() => client.Servers.CreateServerAsync(cluster, Sample.Server("S1", 2)));

        Assert.Equal(ProblemTypes.AlreadyExists, e.Type);
        Assert.Equal(("metadata.name", "name-unique"), (Assert.Single(e.Violations).Field, e.Violations[0].Rule));
    }

    [Fact]
    public async Task ReplaceServer_StaleBodyResourceVersion_ThrowsConflict()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();
        var first = await client.Servers.CreateServerAsync(cluster, Sample.Server("s1", 1));
        await client.Servers.PatchServerAsync(cluster, "s1", new JsonObject { ["spec"] = new JsonObject { ["description"] = "moved" } });

        var e = await Assert.ThrowsAsync<ClpConflictException>(() => client.Servers.ReplaceServerAsync(cluster, "s1", first));

        Assert.Equal(ProblemTypes.Conflict, e.Type);
    }

    [Fact]
    public async Task AnyCall_UnknownKey_ThrowsUnauthorized()
    {
        var e = await Assert.ThrowsAsync<ClpUnauthorizedException>(() => factory.Client("not-a-key-of-this-server").Clusters.ListClustersAsync());

        Assert.Equal((401, ProblemTypes.Unauthorized), (e.Status, e.Type));
    }

    [Fact]
    public async Task GetServer_Missing_ThrowsNotFound()
    {
        var client = factory.Client();
        var cluster = await client.NewClusterAsync();

        var e = await Assert.ThrowsAsync<ClpNotFoundException>(() => client.Servers.GetServerAsync(cluster, "nope"));

        Assert.Equal((HttpStatusCode.NotFound, ProblemTypes.NotFound), (e.StatusCode, e.Type));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureClpSuccess_NonJsonBody_ThrowsUnsupportedMediaType()
    {
        var http = factory.HttpClient();
        var cluster = await factory.Client().NewClusterAsync();
        var response = await http.PostAsync($"/apis/clp/v1/clusters/{cluster}/groups", new StringContent("name: g1", Encoding.UTF8, "text/yaml"));

        var e = await Assert.ThrowsAsync<ClpUnsupportedMediaTypeException>(() => response.EnsureClpSuccessAsync());

        Assert.Equal(ProblemTypes.UnsupportedMediaType, e.Type);
    }

    [Fact]
    public async Task ErrorWithoutProblemBody_StillThrowsTheStatusException()
    {
        var script = new ScriptedHandler();
        var client = new ClpClient(script.Client());
        script.ReplyStatus(HttpStatusCode.BadGateway, "<html>upstream down</html>", "text/html");
        script.ReplyStatus(HttpStatusCode.NotFound, "", "text/plain");

        var gateway = await Assert.ThrowsAsync<ClpProblemException>(() => client.Clusters.ListClustersAsync());
        var missing = await Assert.ThrowsAsync<ClpNotFoundException>(() => client.Clusters.GetClusterAsync("c1"));

        Assert.Equal((502, ClpProblem.AboutBlank, "<html>upstream down</html>"), (gateway.Status, gateway.Type, gateway.Detail));
        Assert.Equal((404, ClpProblem.AboutBlank, null), (missing.Status, missing.Type, missing.Detail));
    }

    [Fact]
    public void Create_EachStatus_IsItsExceptionType()
    {
        var expected = new Dictionary<int, Type>
        {
            [400] = typeof(ClpValidationException),
            [401] = typeof(ClpUnauthorizedException),
            [403] = typeof(ClpForbiddenException),
            [404] = typeof(ClpNotFoundException),
            [409] = typeof(ClpConflictException),
            [410] = typeof(ClpGoneException),
            [412] = typeof(ClpPreconditionFailedException),
            [415] = typeof(ClpUnsupportedMediaTypeException),
            [405] = typeof(ClpProblemException),
            [500] = typeof(ClpProblemException),
        };

        Assert.All(expected, pair => Assert.IsType(pair.Value, ProblemReader.Create(new ClpProblem { Status = pair.Key }), exactMatch: true));
    }

    [Fact]
    public void Parse_ProblemWithExtensions_KeepsViolationsDependentsAndTheRest()
    {
        var body = """
            {"type":"urn:clp:problem:has-dependents","title":"t","status":409,"detail":"d","instance":"/x",
             "dependents":["Group/g1","Resource/r1"],"violations":[{"field":"f","rule":"r","message":"m"}],"traceId":"abc"}
            """u8;

        var problem = ProblemReader.Parse(409, "Conflict", new("application/problem+json"), body);

        Assert.Equal(["Group/g1", "Resource/r1"], problem.Dependents);
        Assert.Equal(new ProblemViolation("f", "r", "m"), Assert.Single(problem.Violations));
        Assert.Equal("abc", problem.Extensions["traceId"].GetString());
        Assert.Equal(("t", "d", "/x"), (problem.Title, problem.Detail, problem.Instance));
    }
}
