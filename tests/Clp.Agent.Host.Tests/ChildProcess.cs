using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Clp.Agent.Host.Tests;

/// <summary>A real child process (<c>dotnet some.dll</c>) whose output lines are kept and waited on; killed by
/// PID on dispose.</summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0, int.MaxValue);

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line written to stdout and stderr so far.</summary>
    public string Output => string.Join("\n", _lines);

    /// <summary>The path the test project recorded at build time (<c>AssemblyMetadata</c>).</summary>
    public static string BuiltDll(string key)
    {
        var path = typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first");
        return path;
    }

    /// <summary>Starts <c>dotnet dll args</c> with only the CLP_* variables of <paramref name="environment"/>
    /// (the test process's own CLP_* variables are removed).</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("CLP_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.Exited += (_, _) => child._newLine.Release();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; fails naming <paramref name="what"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, string what, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var exited = _process.HasExited;
            if (exited)
            {
                _process.WaitForExit(); // drains the redirected output
            }

            if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            Assert.False(exited, $"{Name} (pid {Pid}) exited with {(exited ? _process.ExitCode : 0)} before {what}:\n{Output}");
            try
            {
                await _newLine.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out after {bound.TotalSeconds} s waiting for {what} from {Name} (pid {Pid}):\n{Output}");
            }
        }
    }

    /// <summary>Waits for the process to end; fails naming <paramref name="what"/>.</summary>
    public async Task<int> WaitForExitAsync(string what, TimeSpan bound)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {bound.TotalSeconds} s waiting for {Name} (pid {Pid}) to exit: {what}:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd's stop or a Ctrl+C would send.</summary>
    public void Terminate()
    {
        Assert.Equal(0, Kill(Pid, 15));
    }

    /// <summary>SIGKILL by PID (this process only): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(Pid, 9);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _newLine.Release();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
