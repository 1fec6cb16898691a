using Clp.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clp.Cluster.Tests;

/// <summary>clp-api in-process over a fresh data directory; agents and tests talk to it through the real SDK.</summary>
public sealed class ClusterApi : WebApplicationFactory<Program>
{
    public const string AdminKey = "cluster-test-admin-key-0123456789";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("clp-cluster-test-").FullName;

    public ClpClient Client(string key = AdminKey, TimeProvider? time = null) =>
        new(CreateDefaultClient(new BearerKeyHandler(key)), time);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CLP_DATA_DIR", DataDirectory);
        builder.UseSetting("CLP_BOOTSTRAP_ADMIN_KEY", AdminKey);
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
                // Best effort.
            }
        }
    }
}
