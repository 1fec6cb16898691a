using System.Text.Json.Nodes;

namespace Clp.Api.Tests;

/// <summary>The committed OpenAPI document is what the server serves (drift check), and every operation is
/// fit for SDK generation. Regenerate the file on purpose with <c>openapi/regenerate</c>.</summary>
public class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string CommittedPath = Path.Combine(RepoRoot.Path, "openapi", "clp-api.json");

    private async Task<JsonObject> ServedAsync() =>
        (await factory.Client(null).GetAsync("/openapi/clp-api.json").Ok()).AsObject();

    [Fact]
    public async Task ServedDocument_EqualsCommittedFile_ServersAside()
    {
        Assert.True(File.Exists(CommittedPath), "openapi/clp-api.json is missing; run openapi/regenerate");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!.AsObject();
        var served = await ServedAsync();
        committed.Remove("servers");
        served.Remove("servers");
        Assert.True(JsonNode.DeepEquals(committed, served),
            "openapi/clp-api.json differs from the served document; run openapi/regenerate and commit the result. First difference: "
            + FirstDifference(committed, served, "$"));
    }

    [Fact]
    public async Task EveryOperation_HasIdSummaryErrorsAndSecurityUnlessAnonymous()
    {
        var doc = await ServedAsync();
        Assert.StartsWith("3.0", (string)doc["openapi"]!);
        Assert.Equal("bearer", (string)doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]!);
        Assert.NotNull(doc["security"]);
        var ids = new HashSet<string>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            Assert.StartsWith("/apis/clp/v1/", path);
            foreach (var (method, op) in item!.AsObject().Where(p => p.Key is "get" or "post" or "put" or "patch" or "delete"))
            {
                var id = (string?)op!["operationId"];
                Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
                Assert.True(ids.Add(id!), $"operationId {id} is used twice");
                Assert.False(string.IsNullOrEmpty((string?)op["summary"]), $"{id} has no summary");
                var responses = op["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{id} does not document 401/403");
                Assert.True(responses["401"]!["content"]?["application/problem+json"] is not null, $"{id}: 401 is not problem+json");
            }
        }

        Assert.True(ids.Count >= 60, $"only {ids.Count} operations");
    }

    private static string FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
            {
                if (!JsonNode.DeepEquals(oa[key], ob[key]))
                {
                    return FirstDifference(oa[key], ob[key], $"{path}.{key}");
                }
            }
        }

        return $"{path}: committed {Short(a)} vs served {Short(b)}";
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "(absent)";
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
