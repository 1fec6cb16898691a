using System.Globalization;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>The fields of <c>/proc/PID/stat</c> the probes need: the name (comm), the state letter and the start
/// time (field 22, clock ticks since boot), which together with the PID names one process for its whole life.</summary>
/// <remarks>The name sits in parentheses and may itself hold spaces and parentheses, so the fields after it are
/// split from the last <c>)</c> (proc(5)).</remarks>
internal sealed record ProcStat(int Pid, string Name, char State, ulong StartTime)
{
    /// <summary>Zombies have exited; only their exit status is left for the parent to reap.</summary>
    public bool IsZombie => State is 'Z' or 'X' or 'x';

    /// <summary>The process's stat, or null when it does not exist (or ended while being read).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <exception cref="FormatException">Not a stat line.</exception>
    public static ProcStat Parse(int pid, string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            throw new FormatException($"/proc/{pid}/stat has no (comm): {text}");
        }

        // rest[0] is field 3 (state), so field N is rest[N - 3].
        var rest = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 20 || rest[0].Length != 1)
        {
            throw new FormatException($"/proc/{pid}/stat is too short: {text}");
        }

        return new ProcStat(pid, text[(open + 1)..close], rest[0][0], ulong.Parse(rest[19], CultureInfo.InvariantCulture));
    }

    /// <summary>The PIDs of every process (thread-group leaders; threads are not listed in /proc).</summary>
    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);
}
