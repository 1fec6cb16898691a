using Clp.Agent.Monitoring;
using Clp.Core.Model;

namespace Clp.Agent.Tests.Monitoring;

/// <summary>The mrw matching rule, one row per clause, over fixed inputs.</summary>
public class MessageMatchTests
{
    internal static Event Message(long rv, string module, string text = "db1 is down", string? server = null) => new()
    {
        Kind = "Event",
        Metadata = new ObjectMeta { Name = $"ev-{rv}", ResourceVersion = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Spec = new EventSpec { Module = module, EventId = 1, Severity = EventSeverity.Error, Message = text, Server = server },
    };

    public static TheoryData<string, string, string, string?, string?, bool> Rows() => new()
    {
        // row, event module, event message, event server, monitor keyword -> matches on s1 with category "nm"
        { "module equals category", "nm", "db1 is down", null, null, true },
        { "module equals category in other case", "NM", "db1 is down", null, null, true },
        { "other module", "batch", "db1 is down", null, null, false },
        { "keyword contained", "nm", "db1 is down", null, "db1", true },
        { "keyword contained in other case", "nm", "DB1 is down", null, "db1", true },
        { "keyword not contained", "nm", "db2 is down", null, "db1", false },
        { "empty keyword = every message", "nm", "anything", null, "", true },
        { "event for this server", "nm", "db1 is down", "s1", null, true },
        { "event for this server in other case", "nm", "db1 is down", "S1", null, true },
        { "event for another server", "nm", "db1 is down", "s2", null, false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Matches_Rule_Decides(string row, string module, string text, string? server, string? keyword, bool matches) =>
        Assert.True(matches == MessageMatch.Matches(Message(5, module, text, server), "s1", "nm", keyword), row);

    [Theory]
    [InlineData("ctl")]
    [InlineData("agent")]
    [InlineData("AGENT")]
    public void Matches_ClpsOwnModules_NeverMatch(string module) =>
        Assert.False(MessageMatch.Matches(Message(5, module), "s1", module, null));

    [Fact]
    public void Next_IsTheOldestMatchingMessageAfterThePosition()
    {
        Event[] messages = [Message(12, "nm"), Message(10, "nm"), Message(11, "batch"), Message(13, "nm")];

        Assert.Equal("ev-10", MessageMatch.Next(messages, 9, "s1", "nm", null)?.Metadata.Name);
        Assert.Equal("ev-12", MessageMatch.Next(messages, 10, "s1", "nm", null)?.Metadata.Name); // 11 is another category
        Assert.Equal("ev-13", MessageMatch.Next(messages, 12, "s1", "nm", null)?.Metadata.Name);
        Assert.Null(MessageMatch.Next(messages, 13, "s1", "nm", null));
    }
}
