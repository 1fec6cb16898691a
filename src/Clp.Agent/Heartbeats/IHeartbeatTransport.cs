using System.Net;

namespace Clp.Agent.Heartbeats;

/// <summary>Where this server receives heartbeats on one interconnect.</summary>
public sealed record HeartbeatBinding(string Interconnect, IPEndPoint Local);

/// <summary>Sends and receives heartbeat datagrams (UDP on real servers; in memory in the simulated tier).</summary>
public interface IHeartbeatTransport : IAsyncDisposable
{
    /// <summary>Receives on exactly these bindings from now on (closing the others), calling
    /// <paramref name="onReceive"/> with the interconnect and the datagram.</summary>
    void Bind(IReadOnlyList<HeartbeatBinding> bindings, Action<string, ReadOnlyMemory<byte>> onReceive);

    /// <summary>Sends one datagram from this server's binding on <paramref name="interconnect"/>; best
    /// effort (a lost datagram is what heartbeats are for).</summary>
    void Send(string interconnect, IPEndPoint to, byte[] datagram);
}
