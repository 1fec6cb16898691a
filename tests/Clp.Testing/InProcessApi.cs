using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clp.Testing;

/// <summary>clp-api in-process over its own temporary data directory with a known bootstrap admin key: the
/// one server setup the component, SDK, controller and cluster test projects share.</summary>
public class InProcessApi : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    private bool _ownsDirectory = true;

    /// <param name="dataDirectory">Another instance's data directory, to restart clp-api over the same
    /// store (stop that one with <see cref="StopKeepingData"/>); by default a new temporary directory.</param>
    public InProcessApi(string? dataDirectory = null) =>
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("clp-test-").FullName;

    public string DataDirectory { get; }

    /// <summary>The CLP_BOOTSTRAP_ADMIN_KEY the server starts with; empty for none.</summary>
    protected virtual string BootstrapKey => AdminKey;

    /// <summary>Whether the controller runs in this server. Without it, nothing but the test writes
    /// statuses, which is what the API's and the SDK's own tests need.</summary>
    protected virtual bool ControllerEnabled => false;

    /// <summary>Disposes the server but keeps its data directory for another instance.</summary>
    public void StopKeepingData()
    {
        _ownsDirectory = false;
        Dispose();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CLP_DATA_DIR", DataDirectory);
        builder.UseSetting("CLP_BOOTSTRAP_ADMIN_KEY", BootstrapKey);
        builder.UseSetting("Controller:Enabled", ControllerEnabled ? "true" : "false");
        builder.UseEnvironment("Testing");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory)
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
