using Clp.Drivers.Linux.Monitors;

namespace Clp.Drivers.Linux.Tests.Monitors;

/// <summary>Unit tier: sraw's arithmetic over fixed samples.</summary>
[Trait("Category", "Unit")]
public class SrawWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private static SystemSample Sample(int seconds, ulong busy, ulong total, double memory = 50, double disk = 10) =>
        new(TimeSpan.FromSeconds(seconds), busy, total, memory, disk);

    [Fact]
    public void ParseCpu_AggregateLine_CountsIdleAndIowaitAsIdle()
    {
        const string stat = "cpu  100 5 50 800 40 3 2 0 7 0\ncpu0 50 2 25 400 20 1 1 0 3 0\nintr 1\n";

        var (busy, total) = SystemSample.ParseCpu(stat);

        Assert.Equal(1000UL, total);
        Assert.Equal(160UL, busy);
    }

    [Fact]
    public void ParseMemoryPercent_UsesMemAvailable()
    {
        const string meminfo = "MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    250 kB\n";

        Assert.Equal(75.0, SystemSample.ParseMemoryPercent(meminfo), 6);
    }

    [Fact]
    public void ComputeDiskPercent_AsDf_ExcludesReservedBlocks()
    {
        // 1000 blocks, 200 free of which 50 reserved for root: used 800, df's Use% = 800 / (800 + 150).
        Assert.Equal(100.0 * 800 / 950, SystemSample.ComputeDiskPercent(1000, 200, 150), 6);
    }

    [Fact]
    public void Usage_FirstSample_HasNoCpuFigureButMemoryAndDisk()
    {
        var window = new SrawWindow();
        window.Add(Sample(0, 100, 1000, memory: 95), Window);

        var usage = window.Usage(Window);

        Assert.Null(usage.CpuPercent);
        Assert.Equal(["memory 95.0% > 90%"], usage.Above(90, 90, 90));
    }

    [Fact]
    public void Usage_CpuOverTheWindow_IsBusyShareSinceTheBaseline()
    {
        var window = new SrawWindow();
        window.Add(Sample(0, 0, 0), Window);
        window.Add(Sample(30, 950, 1000), Window);
        window.Add(Sample(60, 1900, 2000), Window);

        var usage = window.Usage(Window);

        Assert.Equal(95.0, usage.CpuPercent!.Value, 6);
        Assert.Equal(TimeSpan.FromSeconds(60), usage.Span);
        Assert.Equal(["CPU 95.0% > 90%"], usage.Above(90, 90, 90));
    }

    [Fact]
    public void Add_SamplesOlderThanTheBaseline_AreDropped()
    {
        var window = new SrawWindow();
        window.Add(Sample(0, 0, 0, memory: 99), Window);
        window.Add(Sample(50, 1000, 1000, memory: 99), Window);
        window.Add(Sample(100, 1010, 2000, memory: 10), Window);
        window.Add(Sample(110, 1020, 3000, memory: 20), Window);

        // Window (50, 110]: baseline 50, inside 100 and 110.
        Assert.Equal([50, 100, 110], window.Samples.Select(s => (int)s.At.TotalSeconds));
        var usage = window.Usage(Window);
        Assert.Equal(1.0, usage.CpuPercent!.Value, 6);
        Assert.Equal(15.0, usage.MemoryPercent, 6);
        Assert.Empty(usage.Above(90, 90, 90));
    }

    [Fact]
    public void Above_AtTheThreshold_IsHealthy_JustAboveIsNot()
    {
        Assert.Empty(new SrawUsage(90, 90, 90, TimeSpan.Zero).Above(90, 90, 90));
        Assert.Equal(3, new SrawUsage(90.01, 90.01, 90.01, TimeSpan.Zero).Above(90, 90, 90).Count);
    }
}
