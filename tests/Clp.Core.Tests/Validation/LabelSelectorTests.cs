using Clp.Core.Validation;

namespace Clp.Core.Tests.Validation;

public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["tier"] = "web", ["env"] = "prod", ["zone"] = "a" };

    [Theory]
    [InlineData("", true)]
    [InlineData("tier=web", true)]
    [InlineData("tier==web", true)]
    [InlineData("tier=db", false)]
    [InlineData("tier!=db", true)]
    [InlineData("tier!=web", false)]
    [InlineData("tier=web,env=prod", true)]
    [InlineData("tier=web,env=test", false)]
    [InlineData("zone in (a,b)", true)]
    [InlineData("zone in (b,c)", false)]
    [InlineData("zone notin (b,c)", true)]
    [InlineData("missing notin (b)", true)]
    [InlineData("missing in (b)", false)]
    [InlineData("env", true)]
    [InlineData("!env", false)]
    [InlineData("!missing", true)]
    [InlineData("tier=web, zone in (a, b), !missing", true)]
    public void Matches_Requirement_Evaluates(string selector, bool expected)
    {
        Assert.True(LabelSelector.TryParse(selector, out var parsed, out var error), error);
        Assert.Equal(expected, parsed.Matches(Labels));
    }

    [Theory]
    [InlineData("=web")]
    [InlineData("tier in a,b")]
    [InlineData("ti er=web")]
    [InlineData("!")]
    public void TryParse_BadSyntax_ReportsError(string selector)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
