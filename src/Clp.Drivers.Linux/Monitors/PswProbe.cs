using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>psw</c>: at least minCount live processes are named processName.</summary>
/// <remarks>The name is the kernel's comm (<c>/proc/PID/stat</c>), which is the executable's file name cut to
/// 15 bytes: a processName longer than that is compared on its first 15 bytes, as <c>ps -C</c> does. Zombies
/// do not count.</remarks>
internal sealed class PswProbe : Probe
{
    /// <summary>TASK_COMM_LEN (16) less the terminating NUL.</summary>
    public const int CommLength = 15;

    public override string Type => "psw";

    protected override Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var name = parameters.String("processName");
        var minCount = parameters.Integer("minCount");
        var count = 0;
        foreach (var pid in ProcStat.AllPids())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProcStat.Read(pid) is { IsZombie: false } stat && Matches(name, stat.Name))
            {
                count++;
            }
        }

        return Task.FromResult(Verdict(name, count, minCount));
    }

    public static bool Matches(string processName, string comm) =>
        string.Equals(comm, processName.Length > CommLength ? processName[..CommLength] : processName, StringComparison.Ordinal);

    public static ProbeResult Verdict(string name, int count, long minCount) => count >= minCount
        ? ProbeResult.Ok($"{count} process(es) named {name}")
        : ProbeResult.Failed($"{count} process(es) named {name}, fewer than {minCount}");
}
