using Clp.Controller.Queue;

namespace Clp.Controller.Tests.Queue;

/// <summary>STYLE 17: per-key exponential backoff with jitter and a cap; a success forgets.</summary>
public sealed class BackoffTests
{
    public static TheoryData<string, int, double, int> Rows() => new()
    {
        { "first failure waits the base", 1, 0.5, 100 },
        { "second doubles", 2, 0.5, 200 },
        { "fifth is 16 x base", 5, 0.5, 1600 },
        { "jitter low end is 0.8", 3, 0.0, 320 },
        { "jitter high end approaches 1.2", 3, 0.999_999, 480 },
        { "capped", 20, 0.5, 30_000 },
        { "jitter never exceeds the cap", 20, 0.999_999, 30_000 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Delay_Rule_Holds(string rule, int failures, double random, int expectedMs)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), () => random);
        Assert.True(Math.Abs(backoff.Delay(failures).TotalMilliseconds - expectedMs) < 1, $"{rule}: {backoff.Delay(failures).TotalMilliseconds} ms");
    }

    [Fact]
    public void Next_CountsPerKey_ForgetResets()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), () => 0.5);
        Assert.Equal(100, backoff.Next("a").TotalMilliseconds, 3);
        Assert.Equal(200, backoff.Next("a").TotalMilliseconds, 3);
        Assert.Equal(100, backoff.Next("b").TotalMilliseconds, 3);
        backoff.Forget("a");
        Assert.Equal(0, backoff.Failures("a"));
        Assert.Equal(100, backoff.Next("a").TotalMilliseconds, 3);
    }
}
