using Clp.Client;
using Clp.Testing;

namespace Clp.Cluster.Tests;

/// <summary>clp-api in-process with its controller; agents and tests talk to it through the real SDK.</summary>
public sealed class ClusterApi(string? dataDirectory = null) : InProcessApi(dataDirectory)
{
    protected override bool ControllerEnabled => true;

    public ClpClient Client(string key = AdminKey, TimeProvider? time = null) =>
        new(CreateDefaultClient(new BearerKeyHandler(key)), time);
}
