using Clp.Core.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clp.Api.Composition;

/// <summary>Ready when the store answers a read.</summary>
internal sealed class StoreHealthCheck(IResourceStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var rv = await store.GetResourceVersionAsync(cancellationToken);
            return HealthCheckResult.Healthy($"store at resourceVersion {rv}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", e);
        }
    }
}
