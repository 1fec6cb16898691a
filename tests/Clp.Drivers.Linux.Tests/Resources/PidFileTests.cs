using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>The pid file contract ("PID STARTTIME") and /proc/PID/stat parsing (no I/O but the temp folder).</summary>
public sealed class PidFileTests : IDisposable
{
    private readonly ResourceFixture _f = new();

    [Theory]
    [InlineData("4242 884360\n", 4242, 884360UL)]
    [InlineData("4242 884360", 4242, 884360UL)]
    public void Parse_PidAndStartTime(string text, int pid, ulong start)
    {
        Assert.Equal((pid, start), PidFile.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242")]
    [InlineData("1 5")]
    [InlineData("-3 5")]
    [InlineData("4242 884360 7")]
    public void Parse_AnythingElse_IsNoRecord(string text)
    {
        Assert.Null(PidFile.Parse(text));
    }

    [Fact]
    public void Write_IsReadBackAndLeavesNoTemporaryFile()
    {
        var file = new PidFile(_f.State, "my-app");

        file.Write(4242, 884360);

        Assert.Equal(Path.Combine(_f.State, "appli", "my-app.pid"), file.Path);
        Assert.Equal("4242 884360\n", File.ReadAllText(file.Path));
        Assert.Single(Directory.GetFiles(Path.Combine(_f.State, "appli")));
    }

    [Fact]
    public void ProcessStat_CommandNameWithSpacesAndParentheses_IsSkipped()
    {
        const string stat = "21319 (my (odd) app) S 21301 21300 19005 0 -1 4194304 115 0 0 0 0 0 0 0 20 0 1 0 884360 3133440 414";

        Assert.Equal(new ProcessStat(21319, 'S', 21300, 884360), ProcessTable.Parse(stat));
    }

    [Fact]
    public void ProcessStat_Zombie_IsNotLive()
    {
        Assert.False(new ProcessStat(1, 'Z', 1, 1).IsLive);
        Assert.True(new ProcessStat(1, 'S', 1, 1).IsLive);
    }

    public void Dispose() => _f.Dispose();
}
