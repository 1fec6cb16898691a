using Clp.Client.Watching;

namespace Clp.Client.Tests.Watching;

/// <summary>Option validation, one row per rule; each message names the property and its value.</summary>
public class ClpWatcherOptionsTests
{
    public static TheoryData<string, Action<ClpWatcherOptions>> Broken() => new()
    {
        { "InitialBackoff (00:00:00)", o => o.InitialBackoff = TimeSpan.Zero },
        { "MaxBackoff (00:00:00.1000000) must be at least InitialBackoff", o => o.MaxBackoff = TimeSpan.FromMilliseconds(100) },
        { "IdleTimeout (-00:00:01)", o => o.IdleTimeout = TimeSpan.FromSeconds(-1) },
        { "IdleTimeout (00:00:00)", o => o.IdleTimeout = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenRule_NamesThePropertyAndValue(string expected, Action<ClpWatcherOptions> breakIt)
    {
        var options = new ClpWatcherOptions();
        breakIt(options);

        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultsAndInfiniteIdle_AreAccepted()
    {
        new ClpWatcherOptions().Validate();
        new ClpWatcherOptions { IdleTimeout = Timeout.InfiniteTimeSpan, InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(1) }.Validate();
    }
}
