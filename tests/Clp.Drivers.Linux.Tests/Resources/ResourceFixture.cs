using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>A fresh state folder and resource name per test, contexts for the drivers, and ground truth read
/// from /proc by the test itself. Disposing SIGKILLs the processes the test registered and deletes the folder.</summary>
public sealed class ResourceFixture : IDisposable
{
    private readonly List<int> _pids = [];

    public ResourceFixture()
    {
        State = Directory.CreateTempSubdirectory("clp-res-").FullName;
        Resource = "r" + Guid.NewGuid().ToString("N")[..10];
        Options = new LinuxDriverOptions { StateDirectory = State };
    }

    public string State { get; }

    public string Resource { get; }

    public LinuxDriverOptions Options { get; }

    /// <summary>A scratch path inside the state folder.</summary>
    public string File(string name) => Path.Combine(State, name);

    public ResourceContext Context(string type, JsonObject parameters, GroupEvent reason = GroupEvent.Start, long epoch = 1) =>
        new("c1", "s1", "g1", Resource, type, parameters, reason, epoch);

    /// <summary>Registers a PID to SIGKILL at the end of the test, whatever happens.</summary>
    public int Track(int pid)
    {
        _pids.Add(pid);
        return pid;
    }

    /// <summary>Whether <paramref name="pid"/> runs (exists and is not a zombie), read from /proc/PID/stat.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Field 22 of /proc/PID/stat.</summary>
    public static string StartTime(int pid)
    {
        var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }

    public static int ReadPid(string path) => int.Parse(System.IO.File.ReadAllText(path).Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>Polls <paramref name="condition"/> every 20 ms up to <paramref name="limit"/> (default 5 s).</summary>
    public static async Task<bool> Eventually(Func<bool> condition, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (limit ?? TimeSpan.FromSeconds(5)))
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public static async Task WaitForFile(string path)
    {
        Assert.True(await Eventually(() => System.IO.File.Exists(path) && new FileInfo(path).Length > 0), $"{path} never appeared");
    }

    public void Dispose()
    {
        foreach (var pid in _pids.Where(IsAlive))
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }

        Directory.Delete(State, recursive: true);
    }
}
