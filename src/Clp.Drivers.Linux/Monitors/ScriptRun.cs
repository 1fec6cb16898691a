using System.Diagnostics;
using System.Text;
using Clp.Drivers.Linux.Shell;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>Runs a monitor script with <c>/bin/sh -c</c> in its own process group (like <see cref="Command"/>)
/// and returns when the shell exits, even if something it left in the background still holds its output
/// open; at cancellation the whole group is SIGKILLed.</summary>
internal static class ScriptRun
{
    /// <summary>Output kept per stream, so a chatty script cannot fill the agent's memory.</summary>
    private const int MaxOutput = 16 * 1024;

    /// <param name="started">Told the shell's PID (= its process group) once it runs.</param>
    /// <exception cref="OperationCanceledException">Cancelled: the process group was killed.</exception>
    public static async Task<CommandResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, Action<int>? started = null)
    {
        using var process = new Process { StartInfo = Command.StartInfo("/bin/sh", ["-c", script], environment), EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        var group = process.Id;
        started?.Invoke(group);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await exited.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The leader may already be gone while its children hang on: signal the group by its id.
            _ = Native.Kill(-group, Native.SigKill);
            Command.KillGroup(process);
            throw;
        }

        // Exited can run before the last lines are read: wait briefly for the streams, never for a background
        // child that keeps them open.
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromMilliseconds(200));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return new CommandResult(process.ExitCode, Text(stdout), Text(stderr));
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            if (builder.Length < MaxOutput)
            {
                builder.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
