using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clp.Api.Tests;

/// <summary>clp-api in-process over a fresh data directory, with a known bootstrap admin key.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    /// <summary>The CLP_BOOTSTRAP_ADMIN_KEY the server starts with; empty for none.</summary>
    protected virtual string BootstrapKey => AdminKey;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("clp-api-test-").FullName;

    /// <summary>Whether the controller runs in this server.</summary>
    protected virtual bool ControllerEnabled => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CLP_DATA_DIR", DataDirectory);
        builder.UseSetting("CLP_BOOTSTRAP_ADMIN_KEY", BootstrapKey);
        builder.UseEnvironment("Testing");

        // The API's own tests run without the controller, so nothing but the test writes statuses
        // (tests/Clp.Controller.Tests run it).
        builder.UseSetting("Controller:Enabled", ControllerEnabled ? "true" : "false");
    }

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
