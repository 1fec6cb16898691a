using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Clp.Api.OpenApi;

/// <summary>
/// Makes Microsoft.AspNetCore.OpenApi 10 output serialized as OpenAPI 3.0 pass redocly "recommended"
/// and generate clean Kiota/NSwag clients:
///  1. string enums (JsonStringEnumConverter) get "type: string" (NSwag then emits JsonStringEnumConverter);
///  2. the null branch of nullable $ref properties, "oneOf: [{enum:[null], nullable:true}, {$ref}]",
///     gets the referenced schema's type (fixes nullable-type-sibling; both generators then emit T?);
///  3. numbers typed "integer|string" + pattern (NumberHandling.AllowReadingFromString, the web default)
///     become plain "integer"/"number" (NSwag otherwise generates empty classes for them).
/// </summary>
internal sealed class OpenApi30LintFixups : IOpenApiDocumentTransformer
{
    private const JsonSchemaType Num = JsonSchemaType.Integer | JsonSchemaType.Number;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var components = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        FixEnums(components);

        // Pass 2: everything else; $refs are reached through the components.
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in components.Values.Concat(OperationSchemas(document)))
        {
            Walk(schema, seen, components);
        }

        return Task.CompletedTask;
    }

    /// <summary>Pass 1: enum types.</summary>
    private static void FixEnums(IDictionary<string, IOpenApiSchema> components)
    {
        foreach (var s in components.Values.OfType<OpenApiSchema>())
        {
            if (s.Type is null && s.Enum is { Count: > 0 } values &&
                values.All(v => v is null || v.GetValueKind() == JsonValueKind.String))
            {
                s.Type = JsonSchemaType.String;

                // A nullable use elsewhere puts null into the shared enum; nullability belongs to the use
                // site (pass 2), and a null in a string enum is a type mismatch.
                s.Enum = values.Where(v => v is not null).ToList();
            }
        }
    }

    private static IEnumerable<IOpenApiSchema?> OperationSchemas(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(op => (op.Parameters ?? []).Select(p => p.Schema)
                .Concat((op.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Select(m => m.Schema))
                .Concat((op.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
                    .SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Select(m => m.Schema)));

    private static void Walk(IOpenApiSchema? schema, HashSet<OpenApiSchema> seen, IDictionary<string, IOpenApiSchema> components)
    {
        if (schema is not OpenApiSchema s || !seen.Add(s))
        {
            return;
        }

        if (s.Type is { } t && (t & Num) != 0 && (t & JsonSchemaType.String) != 0 && s.Pattern is not null)
        {
            s.Type = t & ~JsonSchemaType.String;
            s.Pattern = null;
        }

        FixNullBranches(s.OneOf, components);
        FixNullBranches(s.AnyOf, components);
        foreach (var child in (s.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
                     .Concat(s.AllOf ?? []).Concat(s.OneOf ?? []).Concat(s.AnyOf ?? []))
        {
            Walk(child, seen, components);
        }

        Walk(s.Items, seen, components);
        Walk(s.AdditionalProperties, seen, components);
    }

    private static void FixNullBranches(IList<IOpenApiSchema>? branches, IDictionary<string, IOpenApiSchema> components)
    {
        if (branches is null)
        {
            return;
        }

        for (var i = 0; i < branches.Count; i++)
        {
            if (branches[i] is not OpenApiSchema { Type: JsonSchemaType.Null })
            {
                continue;
            }

            var others = branches.Where((_, j) => j != i).Select(b => TypeOf(b, components)).Distinct().ToList();
            // A new instance: the generator shares one null schema between properties.
            branches[i] = new OpenApiSchema
            {
                Type = (others.Count == 1 ? others[0] : JsonSchemaType.Object) | JsonSchemaType.Null,
                Enum = new List<JsonNode> { null! },
            };
        }
    }

    private static JsonSchemaType TypeOf(IOpenApiSchema b, IDictionary<string, IOpenApiSchema> components)
    {
        if (b is OpenApiSchemaReference r && r.Reference.Id is { } id && components.TryGetValue(id, out var target))
        {
            b = target;
        }

        return (b.Type ?? JsonSchemaType.Object) & ~JsonSchemaType.Null;
    }
}
