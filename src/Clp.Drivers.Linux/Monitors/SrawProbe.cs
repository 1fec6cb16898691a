using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Clp.Core.Drivers;

namespace Clp.Drivers.Linux.Monitors;

/// <summary><c>sraw</c>: CPU, memory and file-system use averaged over windowSeconds (see
/// <see cref="SrawWindow"/>); any of them above its threshold is an error.</summary>
/// <remarks>Each probe adds one sample (/proc/stat, /proc/meminfo, statvfs(diskPath)) to the window of its
/// monitor: one probe instance serves every sraw monitor, so windows are keyed by monitor name, and a monitor
/// whose windowSeconds or diskPath changes starts a new window.</remarks>
internal sealed class SrawProbe(LinuxDriverOptions options) : Probe
{
    private readonly long _origin = options.Time.GetTimestamp();
    private readonly ConcurrentDictionary<string, (string Key, SrawWindow Window)> _windows = new(StringComparer.Ordinal);

    public override string Type => "sraw";

    protected override async Task<ProbeResult> CheckAsync(MonitorContext context, ProbeParameters parameters, CancellationToken cancellationToken)
    {
        var diskPath = parameters.String("diskPath");
        var window = TimeSpan.FromSeconds(parameters.Integer("windowSeconds"));
        var (busy, total) = SystemSample.ParseCpu(await File.ReadAllTextAsync("/proc/stat", cancellationToken));
        var memory = SystemSample.ParseMemoryPercent(await File.ReadAllTextAsync("/proc/meminfo", cancellationToken));
        if (ProbeNative.StatVfs(diskPath, out var fs) != 0)
        {
            return ProbeResult.Failed($"statvfs {diskPath}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var sample = new SystemSample(options.Time.GetElapsedTime(_origin), busy, total, memory,
            SystemSample.ComputeDiskPercent(fs.Blocks, fs.BlocksFree, fs.BlocksAvailable));
        var key = $"{diskPath}|{window}";
        var entry = _windows.AddOrUpdate(context.Monitor, _ => (key, new SrawWindow()), (_, e) => e.Key == key ? e : (key, new SrawWindow()));
        SrawUsage usage;
        lock (entry.Window)
        {
            entry.Window.Add(sample, window);
            usage = entry.Window.Usage(window);
        }

        var above = usage.Above(parameters.Integer("cpuPercent"), parameters.Integer("memoryPercent"), parameters.Integer("diskPercent"));
        return above.Count == 0
            ? ProbeResult.Ok(usage.Describe())
            : ProbeResult.Failed($"{string.Join(", ", above)} ({usage.Describe()}, {diskPath})");
    }
}
