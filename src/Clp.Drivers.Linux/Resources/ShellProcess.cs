using System.ComponentModel;
using System.Diagnostics;
using Clp.Core.Drivers;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Resources;

/// <summary>Starts the commands of appli and script resources: in a session and process group of their own
/// (setsid, so the PID is the group's id and a stop or a timeout kills every child), stdin from /dev/null,
/// stdout and stderr appended to a log file, optionally as another user (runuser, root only).</summary>
/// <remarks>Output goes to a file rather than a pipe so that an application outlives a restarted agent, and so
/// that a start script which leaves a daemon behind (holding its stdout) still counts as finished when the
/// script itself exits.</remarks>
internal sealed record ShellProcess(
    IReadOnlyList<string> Program,
    string LogPath,
    string? User,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>A command line run by <c>/bin/sh -c</c>.</summary>
    public static IReadOnlyList<string> Inline(string commandLine) => ["/bin/sh", "-c", commandLine];

    /// <summary>An absolute path of an existing file runs as that executable; anything else as inline shell.</summary>
    public static IReadOnlyList<string> PathOrInline(string script) =>
        script.StartsWith('/') && !script.Any(char.IsWhiteSpace) && File.Exists(script) ? [script] : Inline(script);

    /// <summary>Starts the process; the returned process leads its own process group.</summary>
    public Process Start(string what)
    {
        if (User is not null && Native.GetEffectiveUserId() != 0)
        {
            throw new DriverException($"{what}: running as user {User} needs the agent to run as root");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = WorkingDirectory ?? "/" };
        // The wrapper shell opens the log as root before any change of user, then execs the program, so the
        // PID stays the same process from setsid to the program (or to runuser, which waits for it).
        string[] wrapper = ["/bin/sh", "-c", "exec >>\"$1\" 2>&1 </dev/null; shift; exec \"$@\"", "clp-shell", LogPath];
        string[] asUser = User is null ? [] : [ToolPath.Find("runuser") ?? "runuser", "-u", User, "--"];
        foreach (var argument in wrapper.Concat(asUser).Concat(Program))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        try
        {
            return Process.Start(info) ?? throw new DriverException($"{what}: the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new DriverException($"{what}: cannot start ({e.Message}); working directory {info.WorkingDirectory}", e);
        }
    }

    /// <summary>Runs the program to its end. A timeout kills its process group and throws
    /// <see cref="DriverException"/>; a cancellation kills it and throws <see cref="OperationCanceledException"/>.</summary>
    /// <returns>The exit code and the last lines the run wrote to the log.</returns>
    public async Task<(int ExitCode, string Output)> RunAsync(string what, TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var from = FileNames.Length(LogPath);
        using var process = Start(what);
        using var deadline = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            _ = Native.Kill(-process.Id, Native.SigKill);
            cancellationToken.ThrowIfCancellationRequested();
            throw new DriverException($"{what} did not finish within {timeout!.Value.TotalSeconds:0.###} s; its process group was killed. "
                + FileNames.Tail(LogPath, from));
        }

        return (process.ExitCode, FileNames.Tail(LogPath, from));
    }
}
