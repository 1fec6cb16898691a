using System.Diagnostics;

namespace Clp.Tests.Shared;

/// <summary>Runs a command to its end with a bound, and returns its exit code and output.</summary>
internal static class Sh
{
    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 60 s");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Runs the command and throws with its output when it fails.</summary>
    public static async Task<string> CheckedAsync(string file, params string[] arguments)
    {
        var (code, output) = await RunAsync(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({code}): {output}");
    }

    public static Task<string> Ip(params string[] arguments) => CheckedAsync("ip", arguments);

    /// <summary>"PID STARTTIME" identity of a process, so a later sweep kills only that process.</summary>
    public static string? Identity(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid} {fields[19]}";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
