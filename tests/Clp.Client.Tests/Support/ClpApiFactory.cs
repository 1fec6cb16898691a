using Clp.Client.Watching;
using Microsoft.AspNetCore.Hosting;
using Clp.Testing;

namespace Clp.Client.Tests.Support;

/// <summary>clp-api in-process without the controller (the SDK tests observe exactly what they write);
/// clients are the real SDK over the test server's handler.</summary>
public class ClpApiFactory : InProcessApi
{
    /// <summary>An SDK client sending <paramref name="key"/>; <paramref name="handlers"/> sit between the key
    /// and the server (fault injection, request capture).</summary>
    public ClpClient Client(string key = AdminKey, TimeProvider? time = null, ClpWatcherOptions? watcherOptions = null, params DelegatingHandler[] handlers) =>
        new(HttpClient(key, handlers), time, watcherOptions);

    public HttpClient HttpClient(string key = AdminKey, params DelegatingHandler[] handlers) =>
        CreateDefaultClient([new BearerKeyHandler(key), .. handlers]);
}

/// <summary>A store that keeps only 5 changes of history and compacts after every commit, so a resume
/// point goes stale after a handful of writes.</summary>
public sealed class ShortHistoryApiFactory : ClpApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Store:HistoryMinChanges", "5");
        builder.UseSetting("Store:HistoryMinAge", "00:00:00");
        builder.UseSetting("Store:CompactionInterval", "00:00:00");
    }
}
