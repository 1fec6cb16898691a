using Clp.Client.Watching;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clp.Client.Tests.Support;

/// <summary>clp-api in-process over a fresh data directory with a known bootstrap admin key; clients are the
/// real SDK over the test server's handler.</summary>
public class ClpApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("clp-client-test-").FullName;

    /// <summary>An SDK client sending <paramref name="key"/>; <paramref name="handlers"/> sit between the key
    /// and the server (fault injection, request capture).</summary>
    public ClpClient Client(string key = AdminKey, TimeProvider? time = null, ClpWatcherOptions? watcherOptions = null, params DelegatingHandler[] handlers) =>
        new(HttpClient(key, handlers), time, watcherOptions);

    public HttpClient HttpClient(string key = AdminKey, params DelegatingHandler[] handlers) =>
        CreateDefaultClient([new BearerKeyHandler(key), .. handlers]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CLP_DATA_DIR", DataDirectory);
        builder.UseSetting("CLP_BOOTSTRAP_ADMIN_KEY", AdminKey);

        // The SDK tests observe exactly what they write; the controller's own writes would interleave.
        builder.UseSetting("Controller:Enabled", "false");
        builder.UseEnvironment("Testing");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }
    }
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
