using Clp.Client.Problems;

namespace Clp.Client;

/// <summary>For the raw responses of <see cref="Api.IWatchApi"/>, which Refit answers as they are.</summary>
public static class ClpResponseExtensions
{
    /// <summary>Throws the <see cref="ClpProblemException"/> of the response's status (disposing the
    /// response) unless it is a success.</summary>
    public static async Task EnsureClpSuccessAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
    }
}
