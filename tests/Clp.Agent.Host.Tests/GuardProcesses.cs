using System.Runtime.InteropServices;

namespace Clp.Agent.Host.Tests;

/// <summary>Finds and ends what a test's agents leave behind on purpose: the fence guard (its PID is in its lock
/// file) and supervised applications (their process groups are in the appli pid files). Only by PID, and only when
/// the PID is still the process that was recorded.</summary>
internal static partial class GuardProcesses
{
    public static int? PidFromLock(string stateDirectory)
    {
        // cat: .NET's own open takes a shared flock, which the guard's exclusive one refuses.
        var file = Path.Combine(stateDirectory, "fence-guard.lock");
        var (code, text) = Sh.RunAsync("cat", file).GetAwaiter().GetResult();
        return code == 0 && int.TryParse(text.Trim(), out var pid) ? pid : null;
    }

    /// <summary>Whether <paramref name="pid"/> runs (not a zombie) and is a fence guard.</summary>
    public static bool IsGuard(int pid) => IsLive(pid) && Cmdline(pid).Contains("clp-fence-guard", StringComparison.Ordinal);

    /// <summary>Exists and is not a zombie.</summary>
    public static bool IsLive(int pid) => Clp.Tests.Shared.Proc.IsLive(pid);

    public static void Kill(int? pid)
    {
        if (pid is { } p && IsGuard(p))
        {
            _ = KillSignal(p, 9);
        }
    }

    public static void KillAppliGroups(string stateDirectory)
    {
        var folder = Path.Combine(stateDirectory, "appli");
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(folder, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(file).Split(' ')[0], out var pid) && IsLive(pid))
            {
                _ = KillSignal(-pid, 9);
            }
        }
    }

    public static int Signal(int pid, int signal) => KillSignal(pid, signal);

    private static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillSignal(int pid, int signal);
}
