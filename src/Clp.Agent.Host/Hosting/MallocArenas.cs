using System.Runtime.InteropServices;

namespace Clp.Agent.Host.Hosting;

/// <summary>Caps glibc's malloc arenas for clp-agent: with one arena per busy thread (glibc's default allows
/// eight per core), freed native memory of the runtime and the JIT stayed spread over several arenas, about
/// 7-10 MB of an agent with 50 monitors (measured with <c>bench/failover/run</c>, docs/architecture.md).</summary>
/// <remarks><c>mallopt(M_ARENA_MAX)</c> is what the <c>MALLOC_ARENA_MAX</c> environment variable sets; set from
/// here it applies however the agent is started. An operator's own <c>MALLOC_ARENA_MAX</c> wins. Threads the
/// runtime started before <c>Main</c> keep the arena they have. On a C library without <c>mallopt</c> (musl)
/// nothing changes.</remarks>
internal static partial class MallocArenas
{
    /// <summary>The cap: the agent is not allocation-bound, so contention on one arena costs nothing measurable.</summary>
    public const int Limit = 1;

    private const int MArenaMax = -8;

    /// <summary>Applies the cap unless the environment sets one; true when the cap is in force.</summary>
    public static bool Apply(Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(environment("MALLOC_ARENA_MAX")))
        {
            return false;
        }

        try
        {
            return MallOpt(MArenaMax, Limit) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
