using System.Globalization;

namespace Clp.Drivers.Linux.Resources;

/// <summary>The pid file of a resident application: <c>StateDirectory/appli/RESOURCE.pid</c> holding the text
/// <c>"PID STARTTIME"</c> (STARTTIME = field 22 of <c>/proc/PID/stat</c>). The PID leads the application's
/// process group.</summary>
/// <remarks>A contract: the <c>appliw</c> monitor reads this file to check the supervised process is alive,
/// and a restarted agent adopts the process through it. It is written atomically (temporary file and
/// rename) and deleted once the application has stopped.</remarks>
internal sealed class PidFile(string stateDirectory, string resource)
{
    public string Path { get; } = System.IO.Path.Combine(stateDirectory, "appli", FileNames.Safe(resource) + ".pid");

    public void Write(int pid, ulong startTime) =>
        FileNames.WriteAtomically(Path, string.Create(CultureInfo.InvariantCulture, $"{pid} {startTime}\n"));

    /// <summary>The recorded PID and start time; null when there is no file or it does not parse.</summary>
    public (int Pid, ulong StartTime)? Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return Parse(text);
    }

    public static (int Pid, ulong StartTime)? Parse(string text)
    {
        var fields = text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 2
            && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1
            && ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? (pid, start)
            : null;
    }

    /// <summary>The recorded process if it still runs (same PID, same start time, not a zombie), else null.</summary>
    public ProcessStat? LiveProcess() =>
        Read() is { } recorded && ProcessTable.Read(recorded.Pid) is { IsLive: true } stat && stat.StartTime == recorded.StartTime
            ? stat
            : null;

    public void Delete() => File.Delete(Path);
}
