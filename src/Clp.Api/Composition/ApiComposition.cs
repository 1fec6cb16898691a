using Clp.Api.Auth;
using Clp.Api.Endpoints;
using Clp.Api.Objects;
using Clp.Api.OpenApi;
using Clp.Api.Problems;
using Clp.Controller;
using Clp.Core.Catalog;
using Clp.Core.Json;
using Clp.Core.Validation;
using Clp.Store.Sqlite;
using Clp.Store.Sqlite.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;

namespace Clp.Api.Composition;

/// <summary>The composition root of clp-api: which store, which services, which routes.</summary>
public static class ApiComposition
{
    public static WebApplicationBuilder AddClpApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, builder.Configuration["urls"] ?? $"http://0.0.0.0:{Core.Model.ClpApi.DefaultPort}");
        var services = builder.Services;
        services.Configure<JsonOptions>(o => ClpJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.Customize);
        services.AddExceptionHandler<ProblemMapping>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddClpOpenApi();
        services.AddSingleton(TypeCatalog.Default);
        services.AddSingleton<ObjectValidator>();
        services.AddSingleton<ObjectService>();
        services.AddSingleton<ObjectReader>();
        services.AddSingleton<BootstrapAdminKey>();
        services.AddClpSqliteStore(builder.Configuration);
        services.AddClpController(builder.Configuration);
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }

    public static WebApplication MapClpApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint($"/openapi/{OpenApiSetup.DocumentName}.json", "CLP API");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "CLP API";
        });
        var apis = app.MapGroup("").RequireAuthorization().ProducesProblem(401).ProducesProblem(403);
        apis.MapKindsApi().MapEventsApi().MapLeasesApi().MapApiKeysApi().MapWatchApi().MapCatalogApi();
        return app;
    }

    /// <summary>Opens the store and makes sure an admin key exists, before the server takes requests.</summary>
    public static async Task InitializeClpAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<SqliteResourceStore>();
        await store.InitializeAsync(CancellationToken.None);
        var dataDirectory = app.Services.GetRequiredService<SqliteStoreOptions>().DataDirectory;
        await app.Services.GetRequiredService<BootstrapAdminKey>().EnsureAsync(dataDirectory, CancellationToken.None);
    }
}
