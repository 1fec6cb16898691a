namespace Clp.Drivers.Linux.Resources;

/// <summary>What this server's operating system offers the resource drivers, for the drivers and for the agent
/// to report (e.g. whether <c>service</c> resources can run here).</summary>
public static class LinuxPlatform
{
    private static readonly Lazy<string> BootIdValue = new(() =>
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return "unknown-boot";
        }
    });

    /// <summary>The kernel's id of the current boot (<c>/proc/sys/kernel/random/boot_id</c>).</summary>
    public static string BootId => BootIdValue.Value;

    /// <summary>Whether <c>service</c> resources (systemd units) can run here: systemd must be PID 1, seen as
    /// <c>/proc/1/exe</c> ending in <c>systemd</c> or as <c>/run/systemd/system</c> existing (sd_booted's test).</summary>
    /// <param name="reason">When false, the message activation fails with and the agent reports, e.g.
    /// "service resources need systemd as PID 1; this server runs tini"; when true, what was seen.</param>
    public static bool CanRunService(out string reason) => CanRunService("/", out reason);

    /// <summary><see cref="CanRunService(out string)"/> against another root folder (tests).</summary>
    internal static bool CanRunService(string root, out string reason)
    {
        var proc1 = Path.Combine(root, "proc/1");
        string? exe = null;
        try
        {
            exe = new FileInfo(Path.Combine(proc1, "exe")).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the right to read it (not root), /run/systemd/system still tells.
        }

        if (exe is not null && Path.GetFileName(exe.Replace(" (deleted)", "", StringComparison.Ordinal)) == "systemd")
        {
            reason = $"systemd is PID 1 ({exe})";
            return true;
        }

        if (Directory.Exists(Path.Combine(root, "run/systemd/system")))
        {
            reason = "systemd is PID 1 (/run/systemd/system exists)";
            return true;
        }

        string comm;
        try
        {
            comm = File.ReadAllText(Path.Combine(proc1, "comm")).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            comm = exe ?? "an unknown init";
        }

        reason = $"service resources need systemd as PID 1; this server runs {comm}";
        return false;
    }
}
