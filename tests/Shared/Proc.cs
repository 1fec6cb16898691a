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
}
