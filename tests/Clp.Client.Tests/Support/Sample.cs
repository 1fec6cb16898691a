using Clp.Core.Model;

namespace Clp.Client.Tests.Support;

/// <summary>Fresh, valid objects for the tests (STYLE 43: fresh names per test).</summary>
internal static class Sample
{
    private static int _counter;

    public static string Fresh(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}x{Environment.ProcessId % 1000}";

    /// <summary>A cluster with one LAN interconnect, 10.231.1.0/24.</summary>
    public static Cluster Cluster(string name) => new()
    {
        Metadata = { Name = name },
        Spec =
        {
            Heartbeat = { IntervalMs = 1000, TimeoutMs = 5000 },
            Interconnects = [new InterconnectSpec { Name = "lan1", Type = InterconnectType.Lan, Priority = 0, Network = "10.231.1.0/24" }],
        },
    };

    /// <summary>Server <paramref name="name"/> at 10.231.1.<paramref name="host"/> on lan1, priority <paramref name="host"/>.</summary>
    public static Server Server(string name, int host) => new()
    {
        Metadata = { Name = name },
        Spec = { Priority = host, Interconnects = [new ServerInterconnectAddress { Interconnect = "lan1", Address = $"10.231.1.{host}" }] },
    };

    public static Group Group(string name) => new() { Metadata = { Name = name } };

    /// <summary>Creates a fresh cluster (without its auto monitor) and answers its name.</summary>
    public static async Task<string> NewClusterAsync(this IClpClient client)
    {
        var name = Fresh("c");
        await client.Clusters.CreateClusterAsync(Cluster(name), autoMonitors: false);
        return name;
    }
}
