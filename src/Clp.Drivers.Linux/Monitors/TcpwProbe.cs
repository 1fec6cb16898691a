using System.Net;
using System.Net.Sockets;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>tcpw</c>: a TCP connection to host:port is accepted (then closed at once). A refusal, an
/// unreachable network or a reset is an error; a connect still pending at the monitor's timeout is cancelled
/// by the caller, which records the timeout.</summary>
internal sealed class TcpwProbe : Probe
{
    public override string Type => "tcpw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var host = parameters.String("host");
        var port = (int)parameters.Integer("port");
        if (!IPAddress.TryParse(host, out var address))
        {
            throw new ArgumentException($"tcpw parameter host {host} is not an IP address");
        }

        var endpoint = new IPEndPoint(address, port);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch (SocketException e)
        {
            return ProbeResult.Failed($"TCP connect to {endpoint} failed: {e.SocketErrorCode} ({e.Message})");
        }

        socket.Shutdown(SocketShutdown.Both);
        return ProbeResult.Ok($"{endpoint} accepts connections");
    }
}
