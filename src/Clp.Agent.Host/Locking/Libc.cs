using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Clp.Agent.Host.Locking;

/// <summary>The libc calls clp-agent needs that .NET does not expose.</summary>
internal static partial class Libc
{
    public const int ReadOnly = 0;

    /// <summary>open(2) with no flock: .NET's own open takes a shared flock, which the holder's exclusive one refuses.</summary>
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    /// <summary>_exit(2): ends the process at once, running no shutdown code (what a power cut does to it).</summary>
    [DoesNotReturn]
    [LibraryImport("libc", EntryPoint = "_exit")]
    public static partial void Exit(int status);
}
