using System.Globalization;

namespace Clp.Drivers.Linux.Resources;

/// <summary>One process as <c>/proc/PID/stat</c> shows it: state, process group, and start time in clock ticks
/// since boot (field 22), which with the PID names a process uniquely across PID reuse.</summary>
internal sealed record ProcessStat(int Pid, char State, int ProcessGroup, ulong StartTime)
{
    /// <summary>Running or sleeping, i.e. not a zombie waiting to be reaped and not dead.</summary>
    public bool IsLive => State is not ('Z' or 'X' or 'x');
}

/// <summary>Reads processes from <c>/proc</c> (ground truth for pid files and process groups).</summary>
internal static class ProcessTable
{
    /// <summary>Parses one <c>/proc/PID/stat</c> line. The command name (field 2) is in parentheses and may hold
    /// spaces and parentheses itself, so the fields after it are counted from the last ')'.</summary>
    public static ProcessStat? Parse(string stat)
    {
        var close = stat.LastIndexOf(')');
        var open = stat.IndexOf(" (", StringComparison.Ordinal);
        if (close < 0 || open < 0
            || !int.TryParse(stat.AsSpan(0, open), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // After ")": field 3 state, 4 ppid, 5 pgrp, ... 22 starttime (index 19 from field 3).
        var rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 20
            || !int.TryParse(rest[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgrp)
            || !ulong.TryParse(rest[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcessStat(pid, rest[0][0], pgrp, start);
    }

    /// <summary>The process <paramref name="pid"/> now, or null when there is none.</summary>
    public static ProcessStat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The live (non-zombie) members of process group <paramref name="processGroup"/>.</summary>
    public static IReadOnlyList<ProcessStat> GroupMembers(int processGroup)
    {
        var members = new List<ProcessStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { IsLive: true } stat && stat.ProcessGroup == processGroup)
            {
                members.Add(stat);
            }
        }

        return members;
    }
}
