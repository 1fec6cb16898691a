using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Clp.SystemTier.Tests;

/// <summary>Creates sockets inside a network namespace from this (root-namespace) test process: a dedicated
/// thread enters the namespace with setns(2) and creates every socket asked of it there. A socket belongs
/// to the namespace it was created in for its whole life, so it may then be used from any thread. This is
/// how the tests talk to clp-api and probe floating IPs as a client inside the test network, without
/// giving the root namespace any 10.231 address.</summary>
public sealed partial class NetNsSockets : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly BlockingCollection<(Func<Socket> Create, TaskCompletionSource<Socket> Done)> _work = new();
    private readonly Thread _thread;

    public NetNsSockets(string netns)
    {
        Namespace = netns;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() => Run(netns, ready)) { IsBackground = true, Name = "netns " + netns };
        _thread.Start();
        ready.Task.GetAwaiter().GetResult();
    }

    public string Namespace { get; }

    private void Run(string netns, TaskCompletionSource ready)
    {
        using (var handle = File.OpenHandle("/run/netns/" + netns))
        {
            if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
            {
                ready.SetException(new InvalidOperationException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()}"));
                return;
            }
        }

        ready.SetResult();
        foreach (var (create, done) in _work.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(create());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    /// <summary>A new socket in the namespace.</summary>
    public Task<Socket> CreateAsync(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        var done = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add((() => new Socket(family, type, protocol), done));
        return done.Task;
    }

    /// <summary>A TCP connection from the namespace to <paramref name="endpoint"/>, within <paramref name="timeout"/>.</summary>
    public async Task<Socket> ConnectAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var socket = await CreateAsync(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An HTTP client whose connections are made inside the namespace.</summary>
    public HttpClient HttpClient(Uri baseAddress, TimeSpan connectTimeout, DelegatingHandler? outer = null, Action<SocketsHttpHandler>? handlerOptions = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var host = context.DnsEndPoint.Host;
                var endpoint = new IPEndPoint(IPAddress.Parse(host), context.DnsEndPoint.Port);
                var socket = await ConnectAsync(endpoint, connectTimeout, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        handlerOptions?.Invoke(handler);
        HttpMessageHandler top = handler;
        if (outer is not null)
        {
            outer.InnerHandler = handler;
            top = outer;
        }

        return new HttpClient(top) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => _work.CompleteAdding();

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
