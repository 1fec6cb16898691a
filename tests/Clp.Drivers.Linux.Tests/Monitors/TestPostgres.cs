using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>A throwaway PostgreSQL server for one test: initdb into a temp folder, run as the postgres OS user
/// (the server refuses root), listening on 127.0.0.1 on a free port and on a Unix socket in the folder. Local
/// (socket) connections are trusted; TCP ones need the password <see cref="Password"/> (SCRAM). Disposing stops
/// it (killing the postmaster by PID if pg_ctl cannot) and deletes the folder.</summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    public const string Password = "clp-test-secret";

    private readonly string _bin;
    private bool _running;

    private TestPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        Folder = folder;
        Port = port;
    }

    /// <summary>The temp folder: the data folder is inside, and the Unix socket too (a valid psqlw host).</summary>
    public string Folder { get; }

    public int Port { get; }

    private string Data => Path.Combine(Folder, "data");

    /// <summary>The newest /usr/lib/postgresql/N/bin that has initdb, or null.</summary>
    public static string? FindBinaries() =>
        !Directory.Exists("/usr/lib/postgresql") ? null : Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();

    public static async Task<TestPostgres> StartAsync()
    {
        // As root the server must be there: tests/run installs it. Missing is a failure, not a skip.
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install the postgresql package (tests/run does as root)");
        var folder = Directory.CreateTempSubdirectory("clp-pg-").FullName;
        var server = new TestPostgres(bin, folder, FreePort());
        try
        {
            var pwfile = Path.Combine(folder, "initdb.pw");
            await File.WriteAllTextAsync(pwfile, Password + "\n");
            await ProbeKit.Sh("chown", "-R", "postgres:", folder);
            await server.AsPostgres("initdb", "-D", server.Data, "-U", "postgres", "-E", "UTF8", "--locale=C", "-N",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile);
            await server.AsPostgres("pg_ctl", "-D", server.Data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "20",
                "-o", $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            server._running = true;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The fault: the server stops at once (as if it crashed).</summary>
    public async Task StopAsync()
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        var (code, _) = await TestNet.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "-t", "10", "stop"]);
        var pidFile = Path.Combine(Data, "postmaster.pid");
        if (code != 0 && File.Exists(pidFile)
            && int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
            postmaster.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private Task<string> AsPostgres(string tool, params string[] arguments) =>
        ProbeKit.Sh("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
