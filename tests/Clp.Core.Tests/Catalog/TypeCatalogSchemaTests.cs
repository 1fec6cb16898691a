using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using static Clp.Core.Tests.Catalog.CatalogJson;

namespace Clp.Core.Tests.Catalog;

/// <summary>ValidateParameters on schemas the built-in catalog does not exercise (CIDR, string lists, bounds).</summary>
public sealed class TypeCatalogSchemaTests
{
    private static readonly CatalogType Synthetic = new(
        "synthetic", TypeCategory.Resource, "Synthetic", "Test-only type.", true, null, null, [], null, false, [],
        [
            new ParameterSchema("network", ParameterType.Cidr, "A network."),
            new ParameterSchema("names", ParameterType.StringList, "Names.", Minimum: 1, Maximum: 2),
            new ParameterSchema("tags", ParameterType.StringMap, "Tags.", Maximum: 1),
            new ParameterSchema("count", ParameterType.Integer, "Unbounded above.", Minimum: 5),
            new ParameterSchema("level", ParameterType.Enum, "Level.", Required: true, Values: ["low", "high"]),
        ],
        [], false);

    public static TheoryData<string, string, string> Invalid { get; } = new()
    {
        { "{'level':'low','network':'10.0.0.0'}", "network", "cidr" },
        { "{'level':'low','network':'10.0.0.0/33'}", "network", "cidr" },
        { "{'level':'low','network':'10.0.0.0/08'}", "network", "cidr" },
        { "{'level':'low','network':5}", "network", "type" },
        { "{'level':'low','names':[]}", "names", "range" },
        { "{'level':'low','names':['a','b','c']}", "names", "range" },
        { "{'level':'low','names':['a',{}]}", "names[1]", "type" },
        { "{'level':'low','names':{'a':'b'}}", "names", "type" },
        { "{'level':'low','tags':{'a':'1','b':'2'}}", "tags", "range" },
        { "{'level':'low','tags':{'a':null}}", "tags.a", "type" },
        { "{'level':'low','count':4}", "count", "range" },
        { "{'level':'low','count':1e3}", "count", "type" },
        { "{'level':'low','count':99999999999999999999}", "count", "type" },
        { "{'level':''}", "level", "required" },
        { "{'level':'medium'}", "level", "enum" },
        { "{'level':null}", "level", "type" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ValidateParameters_SyntheticSchemaInvalidValue_ReturnsExactlyThatError(string parameters, string field, string rule)
    {
        var error = Assert.Single(TypeCatalog.Default.ValidateParameters(Synthetic, Obj(parameters)));

        Assert.Equal(("spec.parameters." + field, rule), (error.Field, error.Rule));
    }

    [Fact]
    public void ValidateParameters_SyntheticSchemaValidValues_ReturnsNoErrors()
    {
        var parameters = Obj("{'level':'high','network':'fd00::/64','names':['a','b'],'tags':{'k':''},'count':9223372036854775807}");

        Assert.Empty(TypeCatalog.Default.ValidateParameters(Synthetic, parameters));
    }

    [Fact]
    public void ValidateParameters_FractionalIntegerBuiltInCode_ReportsType()
    {
        var parameters = new JsonObject { ["level"] = "low", ["count"] = 5.5 };

        var error = Assert.Single(TypeCatalog.Default.ValidateParameters(Synthetic, parameters));

        Assert.Equal(("spec.parameters.count", "type"), (error.Field, error.Rule));
    }

    [Fact]
    public void WithDefaults_SchemaWithoutDefaults_CopiesGivenValuesOnly()
    {
        var given = Obj("{'level':'low'}");

        var result = TypeCatalog.Default.WithDefaults(Synthetic, given);

        Assert.Equal("{\"level\":\"low\"}", result.ToJsonString());
    }
}
