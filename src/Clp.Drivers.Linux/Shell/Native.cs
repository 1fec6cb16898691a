using System.Runtime.InteropServices;

namespace Clp.Drivers.Linux.Shell;

/// <summary>The few libc calls the drivers need that .NET does not expose.</summary>
internal static partial class Native
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    /// <summary>kill(2): a negative pid signals that process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
