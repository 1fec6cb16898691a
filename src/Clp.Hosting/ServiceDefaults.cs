using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Prometheus;
using Serilog;
using Serilog.Formatting.Compact;

namespace Clp.Hosting;

/// <summary>Cross-cutting defaults every CLP host shares: Serilog, the clock, health and metrics endpoints.</summary>
public static class ServiceDefaults
{
    /// <summary>Serilog to the console, as text or (when <c>CLP_LOG_FORMAT=json</c> or
    /// <c>Logging:Format=json</c>) compact JSON; minimum levels from <c>Serilog</c> configuration.</summary>
    /// <param name="logProperties">Properties every event carries (clp-agent: <c>Server</c>); the text format
    /// shows them after the level as <c>Name=value</c>, the JSON format as fields.</param>
    public static IHostApplicationBuilder AddClpServiceDefaults(this IHostApplicationBuilder builder, IReadOnlyDictionary<string, string>? logProperties = null)
    {
        var json = string.Equals(builder.Configuration["CLP_LOG_FORMAT"] ?? builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        var properties = logProperties ?? new Dictionary<string, string>();
        var shown = string.Concat(properties.Keys.Select(name => $"{name}={{{name}:l}} "));
        builder.Services.AddSerilog((services, config) =>
        {
            config.ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext();
            foreach (var (name, value) in properties)
            {
                config.Enrich.WithProperty(name, value);
            }

            if (json)
            {
                config.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                config.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} " + shown + "{SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c> (200 when every check passes, 503 otherwise) and
    /// <c>/metrics</c> (Prometheus text); all anonymous.</summary>
    public static WebApplication MapClpServiceDefaults(this WebApplication app)
    {
        app.UseHttpMetrics();
        var options = new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        };
        app.MapHealthChecks("/healthz", options).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", options).ExcludeFromDescription();
        app.MapMetrics("/metrics").ExcludeFromDescription();
        return app;
    }
}
