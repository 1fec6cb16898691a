using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Clp.Api.Tests;

/// <summary>clp-api as a real process on a free loopback port, killed by PID on dispose.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    /// <summary>Lines the server wrote to standard output.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    public static async Task<ServerProcess> StartAsync(string dataDirectory, string adminKey, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = ApiDll();
        Assert.True(File.Exists(dll), $"{dll} is missing: build src/Clp.Api first");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CLP_DATA_DIR"] = dataDirectory;
        start.Environment["CLP_BOOTSTRAP_ADMIN_KEY"] = adminKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                server.Output.Enqueue(e.Data);
                if (e.Data.Contains("Application started", StringComparison.Ordinal))
                {
                    server._started.TrySetResult();
                }
            }
        };
        process.Exited += (_, _) => server._started.TrySetResult();
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL, as a power cut would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>Waits for the host's own "Application started" line (or its exit), then checks /healthz once.</summary>
    private async Task WaitHealthyAsync(TimeSpan bound)
    {
        try
        {
            await _started.Task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"clp-api (pid {_process.Id}) did not start within {bound.TotalSeconds} s");
        }

        Assert.False(_process.HasExited, $"clp-api (pid {_process.Id}) exited with {(_process.HasExited ? _process.ExitCode : 0)} before it was healthy");
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ApiDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepoRoot.Path, "src", "Clp.Api", "bin", configuration, "net10.0", "clp-api.dll");
    }
}
