using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Shell;

/// <summary>The last check before a command that TAKES a resource (adds an address, announces it, checks or mounts a
/// file system, starts a process or a unit): it refuses when the lease that allows the step is no longer fresh
/// (lease age past T − F, or fenced). Deactivations and probes are never gated.</summary>
/// <remarks>Why: steps check the lease before they start (DESIGN rule 4), but an agent frozen inside a step (SIGSTOP,
/// a long pause) wakes up in the middle of it, possibly after its fence guard released everything and the group
/// started elsewhere; without this check it would go on and add the address or mount the disk. The check is a lock
/// and a clock read. Residual race (documented in docs/architecture.md "Fence guard"): a freeze between this check
/// and the command's exec, or a command that passed it and is still running when the guard releases, is not
/// caught; the window is the command's own run time (milliseconds for <c>ip</c> and <c>mount</c>).</remarks>
public sealed class LeaseGate(Func<string?> refusal)
{
    /// <summary>Never refuses (tests, and the fence guard, which only deactivates).</summary>
    public static LeaseGate Open { get; } = new(() => null);

    /// <summary>Throws <see cref="DriverException"/> naming the command and the reason when the lease is not fresh.</summary>
    public void Check(string resource, string command)
    {
        if (refusal() is { } reason)
        {
            throw new DriverException($"{resource}: refused to run '{command}': {reason}");
        }
    }
}
