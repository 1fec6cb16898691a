using System.Reflection;
using System.Text.Json.Nodes;
using Clp.Client.Api;
using Refit;

namespace Clp.Client.Tests.Api;

/// <summary>The SDK covers the committed OpenAPI document exactly: every operationId has a method named after
/// it, on its tag's interface, with the document's verb, path and parameters; and no method is extra.</summary>
public class ApiInterfacesTests
{
    private static readonly JsonObject Document = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "openapi", "clp-api.json")))!;

    private static readonly Type[] Interfaces = typeof(IClpClient).Assembly.GetExportedTypes()
        .Where(t => t.IsInterface && t.Namespace == typeof(IServersApi).Namespace)
        .ToArray();

    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch"];

    public static TheoryData<string> OperationIds() => [.. Operations().Select(o => o.OperationId)];

    [Theory]
    [MemberData(nameof(OperationIds))]
    public void Operation_OfTheDocument_HasAMethodWithItsVerbPathAndParameters(string operationId)
    {
        var operation = Operations().Single(o => o.OperationId == operationId);
        var name = char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";
        var methods = Interfaces.SelectMany(i => i.GetMethods()).Where(m => m.Name == name).ToList();
        Assert.True(methods.Count == 1, $"operationId {operationId} ({operation.Verb.ToUpperInvariant()} {operation.Path}) needs exactly one SDK method named {name}; found {methods.Count}");
        var method = methods[0];
        Assert.Equal($"I{operation.Tag}Api", method.DeclaringType!.Name);
        var http = method.GetCustomAttribute<HttpMethodAttribute>();
        Assert.True(http is not null, $"{method.DeclaringType.Name}.{name} has no Refit verb attribute");
        Assert.Equal(operation.Verb.ToUpperInvariant(), http.Method.Method);
        Assert.Equal(operation.Path, http.Path);

        var sent = method.GetParameters()
            .Where(p => p.GetCustomAttribute<HeaderAttribute>() is null && p.GetCustomAttribute<BodyAttribute>() is null && p.ParameterType != typeof(CancellationToken))
            .Select(p => p.GetCustomAttribute<AliasAsAttribute>()?.Name ?? p.Name!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(operation.Parameters.Order(StringComparer.Ordinal), sent);
        Assert.Equal(operation.HasBody, method.GetParameters().Any(p => p.GetCustomAttribute<BodyAttribute>() is not null));
    }

    [Fact]
    public void Interfaces_EveryMethod_IsAnOperationOfTheDocument()
    {
        var expected = Operations().Select(o => char.ToUpperInvariant(o.OperationId[0]) + o.OperationId[1..] + "Async").ToHashSet();
        var extra = Interfaces.SelectMany(i => i.GetMethods().Select(m => $"{i.Name}.{m.Name}").Where(n => !expected.Contains(n[(n.IndexOf('.') + 1)..]))).ToList();
        Assert.True(extra.Count == 0, $"methods without an operation in openapi/clp-api.json: {string.Join(", ", extra)}");
        Assert.Equal(Operations().Select(o => $"I{o.Tag}Api").Distinct().Order(), Interfaces.Select(i => i.Name).Order());
    }

    [Fact]
    public void ClpClient_ExposesEveryInterface()
    {
        var properties = typeof(IClpClient).GetProperties().Select(p => p.PropertyType).ToHashSet();
        Assert.All(Interfaces, i => Assert.Contains(i, properties));
    }

    private sealed record Operation(string OperationId, string Verb, string Path, string Tag, IReadOnlyList<string> Parameters, bool HasBody);

    private static IEnumerable<Operation> Operations()
    {
        foreach (var (path, item) in (JsonObject)Document["paths"]!)
        {
            foreach (var verb in Verbs)
            {
                if (item![verb] is not JsonObject op)
                {
                    continue;
                }

                var parameters = (op["parameters"] as JsonArray ?? [])
                    .Select(p => p!.AsObject())
                    .Where(p => (string?)p["in"] is "path" or "query")
                    .Select(p => (string)p["name"]!)
                    .ToList();
                yield return new Operation((string)op["operationId"]!, verb, path, (string)op["tags"]![0]!, parameters, op["requestBody"] is not null);
            }
        }
    }
}
