using Clp.Client.Model;
using Clp.Core.Model;
using Refit;

namespace Clp.Client.Api;

/// <summary>Operator requests with a visible lifecycle; a create with a known <c>clientRequestId</c> answers the first operation. Operations of the OpenAPI tag <c>Operations</c>.</summary>
public interface IOperationsApi
{
    /// <summary>One page in name order; every item when <paramref name="limit"/> is null.</summary>
    [Get("/apis/clp/v1/clusters/{cluster}/operations")]
    Task<ObjectList<Operation>> ListOperationsAsync(
        string cluster,
        string? labelSelector = null,
        int? limit = null,
        [AliasAs("continue")] string? continueToken = null,
        CancellationToken cancellationToken = default);

    [Post("/apis/clp/v1/clusters/{cluster}/operations")]
    Task<Operation> CreateOperationAsync(string cluster, [Body] Operation operation, bool? autoMonitors = null, CancellationToken cancellationToken = default);

    [Get("/apis/clp/v1/clusters/{cluster}/operations/{name}")]
    Task<Operation> GetOperationAsync(string cluster, string name, CancellationToken cancellationToken = default);

    /// <summary>Answers the deleted object; 409 with <see cref="Problems.ClpProblemException.Dependents"/> while
    /// other objects name it.</summary>
    [Delete("/apis/clp/v1/clusters/{cluster}/operations/{name}")]
    Task<Operation> DeleteOperationAsync(string cluster, string name, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the observed status; never bumps the generation.</summary>
    [Put("/apis/clp/v1/clusters/{cluster}/operations/{name}/status")]
    Task<Operation> ReplaceOperationStatusAsync(string cluster, string name, [Body] OperationStatus status, [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);
}
