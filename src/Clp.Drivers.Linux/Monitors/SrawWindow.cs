namespace Clp.Drivers.Linux.Monitors;

/// <summary>The samples one sraw monitor keeps: those of the last window, plus the newest older one as the CPU
/// baseline. Pure arithmetic over <see cref="SystemSample"/>; the caller serialises access.</summary>
/// <remarks>CPU use over the window is the busy share of the jiffies between the baseline (oldest kept sample)
/// and the newest one; memory and disk use are the means of the samples inside the window. Before the window has
/// filled, the averages cover the samples there are (so the first probe sees no CPU figure, only memory and
/// disk): a monitor interval longer than the window compares each probe with the one before.</remarks>
internal sealed class SrawWindow
{
    private readonly List<SystemSample> _samples = [];

    public IReadOnlyList<SystemSample> Samples => _samples;

    /// <summary>Adds <paramref name="sample"/> (newer than every kept one) and drops what no longer counts.</summary>
    public void Add(SystemSample sample, TimeSpan window)
    {
        _samples.Add(sample);
        var start = sample.At - window;
        // Keep the newest sample at or before the window's start as the baseline; drop everything older.
        var baseline = _samples.FindLastIndex(s => s.At <= start);
        if (baseline > 0)
        {
            _samples.RemoveRange(0, baseline);
        }
    }

    /// <summary>The usage over <paramref name="window"/> ending at the newest sample.</summary>
    public SrawUsage Usage(TimeSpan window)
    {
        if (_samples.Count == 0)
        {
            throw new InvalidOperationException("no sample yet");
        }

        var newest = _samples[^1];
        var inside = _samples.Where(s => s.At > newest.At - window || s == newest).ToList();
        double? cpu = null;
        if (_samples.Count >= 2 && newest.CpuTotal > _samples[0].CpuTotal)
        {
            cpu = 100.0 * (newest.CpuBusy - _samples[0].CpuBusy) / (newest.CpuTotal - _samples[0].CpuTotal);
        }

        return new SrawUsage(cpu, inside.Average(s => s.MemoryPercent), inside.Average(s => s.DiskPercent), newest.At - _samples[0].At);
    }
}

/// <summary>CPU (null until two samples exist), memory and disk use in percent, and the time span covered.</summary>
internal sealed record SrawUsage(double? CpuPercent, double MemoryPercent, double DiskPercent, TimeSpan Span)
{
    /// <summary>Every figure above (not at) its threshold, described; empty when none is.</summary>
    public IReadOnlyList<string> Above(long cpuPercent, long memoryPercent, long diskPercent)
    {
        var problems = new List<string>();
        if (CpuPercent > cpuPercent)
        {
            problems.Add($"CPU {CpuPercent:F1}% > {cpuPercent}%");
        }

        if (MemoryPercent > memoryPercent)
        {
            problems.Add($"memory {MemoryPercent:F1}% > {memoryPercent}%");
        }

        if (DiskPercent > diskPercent)
        {
            problems.Add($"disk {DiskPercent:F1}% > {diskPercent}%");
        }

        return problems;
    }

    public string Describe() =>
        $"CPU {(CpuPercent is { } c ? $"{c:F1}%" : "n/a (first sample)")}, memory {MemoryPercent:F1}%, disk {DiskPercent:F1}% over {Span.TotalSeconds:F0} s";
}
