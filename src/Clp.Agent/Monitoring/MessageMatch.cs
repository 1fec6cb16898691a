using Clp.Core.Model;

namespace Clp.Agent.Monitoring;

/// <summary>The rule that makes an external message one failure of an mrw (message receive) monitor; pure,
/// over fixed inputs.</summary>
/// <remarks>A message (an Event) matches a monitor on a server when: its <c>spec.module</c> equals the
/// monitor's <c>category</c> (case-insensitive); the monitor has no <c>keyword</c> (absent or empty), or
/// the message's <c>spec.message</c> contains it (case-insensitive); its <c>spec.server</c> is absent
/// (every server where the monitor runs) or names this server (case-insensitive); and its module is not
/// CLP's own (<c>ctl</c>, <c>agent</c>). "Newer" is by the store's resourceVersion, never by clocks
/// (STYLE 8): the emitter's <c>spec.time</c> and the API's creation time are not compared with the
/// agent's clock.</remarks>
public static class MessageMatch
{
    public static bool Matches(Event message, string server, string category, string? keyword) =>
        string.Equals(message.Spec.Module, category, StringComparison.OrdinalIgnoreCase)
        && (string.IsNullOrEmpty(keyword) || message.Spec.Message.Contains(keyword, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(message.Spec.Server) || string.Equals(message.Spec.Server, server, StringComparison.OrdinalIgnoreCase))
        && View.ClusterViewCache.IsExternal(message);

    /// <summary>The oldest matching message with a resourceVersion above <paramref name="after"/> (the
    /// monitor's start, then the last message it consumed), or null.</summary>
    public static Event? Next(IEnumerable<Event> messages, long after, string server, string category, string? keyword) =>
        messages.Where(m => VersionOf(m) > after && Matches(m, server, category, keyword))
            .OrderBy(VersionOf)
            .FirstOrDefault();

    public static long VersionOf(Event message) =>
        long.TryParse(message.Metadata.ResourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}
