using System.Net;
using System.Net.Sockets;

namespace Clp.Agent.Heartbeats;

/// <summary>Heartbeats over UDP: one socket per interconnect, bound to this server's address on it, used
/// both to receive and to send (so datagrams leave from the interconnect's address and interface).</summary>
public sealed partial class UdpHeartbeatTransport(ILogger<UdpHeartbeatTransport> logger) : IHeartbeatTransport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (HeartbeatBinding Binding, Socket Socket, CancellationTokenSource Stop)> _sockets = new(StringComparer.OrdinalIgnoreCase);

    public void Bind(IReadOnlyList<HeartbeatBinding> bindings, Action<string, ReadOnlyMemory<byte>> onReceive)
    {
        lock (_gate)
        {
            foreach (var (name, open) in _sockets.ToList())
            {
                if (!bindings.Any(b => b.Equals(open.Binding)))
                {
                    Close(open.Socket, open.Stop);
                    _sockets.Remove(name);
                }
            }

            foreach (var binding in bindings.Where(b => !_sockets.ContainsKey(b.Interconnect)))
            {
                var socket = new Socket(binding.Local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                try
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    socket.Bind(binding.Local);
                }
                catch (SocketException e)
                {
                    // The address may not be up yet (or the interconnect is down): retried on the next Bind.
                    LogBindFailed(binding.Interconnect, binding.Local.ToString(), e.Message);
                    socket.Dispose();
                    continue;
                }

                var stop = new CancellationTokenSource();
                _sockets[binding.Interconnect] = (binding, socket, stop);
                _ = Task.Run(() => ReceiveAsync(binding.Interconnect, socket, onReceive, stop.Token));
            }
        }
    }

    public void Send(string interconnect, IPEndPoint to, byte[] datagram)
    {
        Socket? socket;
        lock (_gate)
        {
            socket = _sockets.TryGetValue(interconnect, out var open) ? open.Socket : null;
        }

        if (socket is null)
        {
            return;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Unreachable network or a closing socket: a lost heartbeat, nothing more.
        }
    }

    private async Task ReceiveAsync(string interconnect, Socket socket, Action<string, ReadOnlyMemory<byte>> onReceive, CancellationToken stop)
    {
        var buffer = new byte[HeartbeatCodec.MaxBytes + 1];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop);
                onReceive(interconnect, buffer.AsMemory(0, received.ReceivedBytes));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP port unreachable from an earlier send and the like: keep receiving.
                LogReceiveFailed(interconnect, e.Message);
            }
        }
    }

    private static void Close(Socket socket, CancellationTokenSource stop)
    {
        stop.Cancel();
        socket.Dispose();
        stop.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var open in _sockets.Values)
            {
                Close(open.Socket, open.Stop);
            }

            _sockets.Clear();
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeats on {Interconnect}: cannot bind {Address}: {Error}")]
    private partial void LogBindFailed(string interconnect, string address, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeats on {Interconnect}: receive failed: {Error}")]
    private partial void LogReceiveFailed(string interconnect, string error);
}
