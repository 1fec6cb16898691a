using System.Diagnostics;
using System.Text;

namespace Clp.Drivers.Linux.Shell;

/// <summary>The outcome of one command: its exit code and what it wrote.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line of stderr, else of stdout: what a status or an alert shows.</summary>
    public string Summary
    {
        get
        {
            var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
            var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return line ?? $"exit code {ExitCode}";
        }
    }
}

/// <summary>Runs an executable with arguments (never through a shell, so no quoting), in its own process
/// group, and kills that whole group when the call is cancelled: a command cut short by its timeout or
/// by a fence leaves nothing behind.</summary>
public static class Command
{
    /// <summary>Runs <paramref name="file"/> to its end and returns its exit code and output.</summary>
    /// <exception cref="OperationCanceledException">Cancelled: the process group was killed.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The executable could not be started.</exception>
    public static async Task<CommandResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        using var process = new Process { StartInfo = StartInfo(file, arguments, environment, workingDirectory) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            KillGroup(process);
            throw;
        }

        lock (stdout)
        {
            lock (stderr)
            {
                return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    /// <summary>Runs the command and throws <see cref="Core.Drivers.DriverException"/> naming it when it
    /// exits non-zero.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var result = await RunAsync(file, list, cancellationToken);
        if (!result.Succeeded)
        {
            throw new Core.Drivers.DriverException($"{file} {string.Join(' ', list)} failed ({result.ExitCode}): {result.Summary}");
        }

        return result;
    }

    /// <summary>A start description for a process that becomes the leader of its own process group (through
    /// setsid), so <see cref="KillGroup"/> reaches every child it starts.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>SIGKILLs the process group led by <paramref name="process"/> (and the process itself).</summary>
    public static void KillGroup(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                _ = Native.Kill(-process.Id, Native.SigKill);
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            if (builder.Length < 64 * 1024)
            {
                builder.AppendLine(line);
            }
        }
    }
}
