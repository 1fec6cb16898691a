using Clp.Client.Problems;
using Clp.Core.Json;
using Refit;

namespace Clp.Client;

/// <summary>The Refit settings every CLP interface is built with: CLP's JSON shape (camelCase, enums as
/// names, nulls omitted) read tolerantly, so a newer server's extra members never break an older client,
/// every error answer thrown as the <see cref="ClpProblemException"/> of its status, and transport failures
/// thrown as the HttpClient threw them (<see cref="HttpRequestException"/>, <see cref="TaskCanceledException"/>),
/// not wrapped in Refit's exception types.</summary>
public static class ClpRefit
{
    /// <summary>Writes as <see cref="ClpJson.Options"/> does; reads with <see cref="ClpJson.StoredOptions"/>
    /// (unknown members skipped).</summary>
    public static RefitSettings CreateSettings() => new(new SystemTextJsonContentSerializer(ClpJson.StoredOptions))
    {
        ExceptionFactory = async response => response.IsSuccessStatusCode ? null : await ProblemReader.ReadAsync(response),
        TransportExceptionFactory = (_, exception, _) => exception,
    };
}
