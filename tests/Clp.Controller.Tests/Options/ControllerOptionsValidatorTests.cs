using Clp.Controller.Options;

namespace Clp.Controller.Tests.Options;

/// <summary>STYLE 33/34: one row per rule; each message names the property and its value.</summary>
public sealed class ControllerOptionsValidatorTests
{
    public static TheoryData<string, Action<ControllerOptions>, string?> Rows() => new()
    {
        { "defaults are valid", _ => { }, null },
        { "identity required", o => o.Identity = " ", "Identity" },
        { "lease duration positive", o => o.LeaderLeaseDuration = TimeSpan.Zero, "LeaderLeaseDuration" },
        { "renew interval positive", o => o.LeaderRenewInterval = TimeSpan.Zero, "LeaderRenewInterval" },
        { "renew at most half the duration", o => o.LeaderRenewInterval = TimeSpan.FromSeconds(8), "LeaderRenewInterval (00:00:08)" },
        { "stall check interval positive", o => o.StallCheckInterval = TimeSpan.Zero, "StallCheckInterval" },
        { "stall threshold positive", o => o.StallThreshold = TimeSpan.FromMilliseconds(-1), "StallThreshold" },
        { "base retry delay positive", o => o.BaseRetryDelay = TimeSpan.Zero, "BaseRetryDelay" },
        { "max retry delay not below base", o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(10), "MaxRetryDelay" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Validate_Rule(string rule, Action<ControllerOptions> change, string? named)
    {
        var options = new ControllerOptions();
        change(options);
        var result = new ControllerOptionsValidator().Validate(null, options);
        if (named is null)
        {
            Assert.True(result.Succeeded, rule);
            return;
        }

        Assert.True(result.Failed, rule);
        Assert.Contains(result.Failures!, f => f.Contains($"ControllerOptions.{named}", StringComparison.Ordinal));
    }
}
