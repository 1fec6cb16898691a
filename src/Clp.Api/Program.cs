using Clp.Api.Composition;
using Clp.Hosting;

// clp-api: the CLP control plane. Native resource API under /apis/clp/v1, OpenAPI at
// /openapi/clp-api.json, Swagger UI at /swagger, /healthz, /readyz, /metrics.
var builder = WebApplication.CreateBuilder(args);
builder.AddClpServiceDefaults();
builder.AddClpApi();

var app = builder.Build();
app.MapClpServiceDefaults();
app.MapClpApi();
await app.InitializeClpAsync();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
