using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Clp.FenceGuard.Protocol;

namespace Clp.FenceGuard.Client;

/// <summary>One connection to a fence guard's socket: sends a request line, reads the reply line. Not thread-safe;
/// one caller at a time (the agent's sender loop, or a test).</summary>
public sealed class FenceGuardClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private FenceGuardClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        _writer = new StreamWriter(_stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects to the guard listening on <paramref name="socketPath"/>.</summary>
    /// <exception cref="SocketException">Nobody listens there (no guard, or a dead one's socket file).</exception>
    public static async Task<FenceGuardClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new FenceGuardClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <exception cref="IOException">The guard closed the connection without answering.</exception>
    public async Task<GuardReply> SendAsync(GuardRequest request, CancellationToken cancellationToken)
    {
        await _writer.WriteLineAsync(JsonSerializer.Serialize(request, GuardJson.Default.GuardRequest).AsMemory(), cancellationToken);
        var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("the fence guard closed the connection without answering");
        return JsonSerializer.Deserialize(line, GuardJson.Default.GuardReply) ?? throw new IOException("the fence guard answered null");
    }

    public void Dispose()
    {
        _writer.Dispose();
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
