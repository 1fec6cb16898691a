using System.Globalization;

namespace Clp.Drivers.Linux.Monitors;

/// <summary>One reading of the system's resources for sraw, taken <see cref="At"/> after the probe was created.</summary>
/// <param name="CpuBusy">Jiffies spent not idle since boot (all CPUs).</param>
/// <param name="CpuTotal">Jiffies since boot (all CPUs), idle and iowait included.</param>
/// <param name="MemoryPercent">(MemTotal - MemAvailable) / MemTotal, in percent.</param>
/// <param name="DiskPercent">Used blocks over used plus available blocks, in percent (as df computes Use%).</param>
internal sealed record SystemSample(TimeSpan At, ulong CpuBusy, ulong CpuTotal, double MemoryPercent, double DiskPercent)
{
    /// <summary>The busy and total jiffies of the aggregate "cpu" line of /proc/stat: user nice system idle
    /// iowait irq softirq steal (guest time is already inside user and nice).</summary>
    /// <exception cref="FormatException">No cpu line.</exception>
    public static (ulong Busy, ulong Total) ParseCpu(string procStat)
    {
        var line = procStat.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            ?? throw new FormatException("/proc/stat has no cpu line");
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Aggregate(0UL, (sum, v) => sum + v);
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        return (total - idle, total);
    }

    /// <summary>Memory in use, in percent, from /proc/meminfo (MemAvailable: what can be had without swapping).</summary>
    /// <exception cref="FormatException">MemTotal or MemAvailable missing.</exception>
    public static double ParseMemoryPercent(string procMeminfo)
    {
        long Field(string name)
        {
            var line = procMeminfo.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new FormatException($"/proc/meminfo has no {name}");
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }

        var total = Field("MemTotal");
        return total <= 0 ? 0 : 100.0 * (total - Field("MemAvailable")) / total;
    }

    /// <summary>Use% as df reports it: used / (used + available to unprivileged users).</summary>
    public static double ComputeDiskPercent(ulong blocks, ulong free, ulong available)
    {
        var used = blocks - free;
        return used + available == 0 ? 0 : 100.0 * used / (used + available);
    }
}
