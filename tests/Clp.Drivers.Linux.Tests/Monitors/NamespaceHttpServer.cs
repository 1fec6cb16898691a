using System.Diagnostics;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>A tiny HTTP server (python3's http.server, serving an empty folder: / answers 200, anything else
/// 404) listening on one address inside a test namespace. Stopping it kills it by PID.</summary>
internal sealed class NamespaceHttpServer : IAsyncDisposable
{
    private const string Script = """
        import http.server, os, sys
        os.chdir(sys.argv[3])
        server = http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), http.server.SimpleHTTPRequestHandler)
        print("ready", flush=True)
        server.serve_forever()
        """;

    private readonly Process _process;
    private readonly DirectoryInfo _root;

    private NamespaceHttpServer(Process process, DirectoryInfo root)
    {
        _process = process;
        _root = root;
    }

    public int Pid => _process.Id;

    /// <summary>Starts the server in <paramref name="ns"/> on <paramref name="address"/>:<paramref name="port"/>
    /// and returns once it listens.</summary>
    public static async Task<NamespaceHttpServer> StartAsync(string ns, string address, int port)
    {
        var root = Directory.CreateTempSubdirectory("clp-http-");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var server = new NamespaceHttpServer(ProbeKit.Start("ip", "netns", "exec", ns, python, "-c", Script, address, port.ToString(System.Globalization.CultureInfo.InvariantCulture), root.FullName), root);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var line = await server._process.StandardOutput.ReadLineAsync(cts.Token);
        if (line != "ready")
        {
            var error = await server._process.StandardError.ReadToEndAsync(cts.Token);
            await server.DisposeAsync();
            throw new InvalidOperationException($"the HTTP server in {ns} did not start: {line} {error}");
        }

        return server;
    }

    /// <summary>The fault: the server dies (SIGKILL by PID); its port refuses connections from then on.</summary>
    public void Kill() => ProbeKit.Kill(_process);

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        _root.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
