using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Clp.Api.OpenApi;

/// <summary>Declares the route's path parameters that handlers read from the route values rather than
/// binding (the shared object routes do, to serve top-level and cluster kinds alike).</summary>
internal sealed partial class PathParameters : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["cluster"] = "The cluster's name.",
        ["name"] = "The object's name (case-insensitive).",
        ["type"] = "A type id of the catalog.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath ?? "";
        operation.Parameters ??= [];
        foreach (Match match in RouteParameter().Matches(path))
        {
            var name = match.Groups[1].Value;
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name))
            {
                continue;
            }

            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = Descriptions.GetValueOrDefault(name),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex RouteParameter();
}
