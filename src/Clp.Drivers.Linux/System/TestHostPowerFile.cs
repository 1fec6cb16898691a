namespace Clp.Drivers.Linux.SystemActions;

/// <summary>The test-host power seam's record: one line per power action, appended and flushed to disk
/// before the process exits (the system-test harness reads it after the process is gone). Shared by
/// clp-agent's and clp-fence-guard's test-host power.</summary>
public static class TestHostPowerFile
{
    public static void Append(string path, string action, string reason)
    {
        var line = $"{action} {reason.ReplaceLineEndings(" ")}\n";
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(System.Text.Encoding.UTF8.GetBytes(line));
        file.Flush(flushToDisk: true);
    }
}
