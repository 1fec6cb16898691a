using System.Net.Http.Headers;
using Clp.Testing;

namespace Clp.Api.Tests;

/// <summary>clp-api in-process for the API's own tests (no controller: only the test writes statuses).</summary>
public class ApiFactory : InProcessApi
{
    /// <summary>A client that sends <paramref name="key"/> (the admin key by default; null for none).</summary>
    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
