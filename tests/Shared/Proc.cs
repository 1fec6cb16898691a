namespace Clp.Tests.Shared;

/// <summary>Processes as /proc shows them, for tests that check what runs (by PID, never by name).</summary>
internal static class Proc
{
    /// <summary>Whether <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsLive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The nice value of thread <paramref name="tid"/> of process <paramref name="pid"/> (Linux keeps one per
    /// thread): field 19 of its stat line.</summary>
    public static int Nice(int pid, int tid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
