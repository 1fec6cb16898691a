using System.Runtime.InteropServices;

namespace Clp.SystemTier.Tests;

/// <summary>Signals to one process by PID (kill(2)): how the system tests freeze, thaw and kill an agent.</summary>
internal static partial class ProcessSignals
{
    public const int Kill = 9;
    public const int Cont = 18;
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success, as kill(2).</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Send(int pid, int signal);
}
