using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Clp.Api.OpenApi;

/// <summary>The OpenAPI document: OpenAPI 3.0 (what Kiota, NSwag and most generators read), a bearer
/// security scheme required everywhere but on the anonymous endpoints, described tags, and the servers
/// list taken from the request.</summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "clp-api";
    public const string DocumentPath = "/openapi/{documentName}.json";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Clusters"] = "Clusters: one desired-state document each.",
        ["Servers"] = "Servers (nodes) of a cluster.",
        ["ServerGroups"] = "Named sets of servers for failover policies.",
        ["Groups"] = "Failover groups: the unit of failover.",
        ["Resources"] = "Group resources (floating IPs, applications, disks, ...).",
        ["Monitors"] = "Monitor resources and their recovery actions.",
        ["Licenses"] = "Registered licenses.",
        ["Operations"] = "Operator requests with a visible lifecycle.",
        ["Events"] = "The alert log.",
        ["Leases"] = "Node leases held by agents.",
        ["ApiKeys"] = "Bearer API keys (admins only).",
        ["Watch"] = "Change feeds as Server-Sent Events.",
        ["Catalog"] = "Resource and monitor types with their parameter schemas.",
    };

    public static IServiceCollection AddClpOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CLP API",
                    Version = "v1",
                    Description = "The native resource API of CLP, an open-source high-availability cluster manager: desired state (spec) and observed status of clusters, servers, groups, resources and monitors. Every error is RFC 7807 problem+json naming the field.",
                    License = new OpenApiLicense { Name = "Apache-2.0", Url = new Uri("https://www.apache.org/licenses/LICENSE-2.0") },
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "CLP API key",
                    Description = "An API key: the bootstrap admin key, or one created under /apikeys.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<OpenApi30LintFixups>();
            options.AddOperationTransformer<PathParameters>();
        });
}
