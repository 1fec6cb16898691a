using Clp.Core.Model;

namespace Clp.Client;

/// <summary>ETags of clp-api objects. The server's <c>ETag</c> is always the quoted
/// <c>metadata.resourceVersion</c> of the object it answers, so every typed answer carries its own ETag and
/// no response headers are needed: pass <c>ClpETag.Of(obj)</c> as <c>ifMatch</c> to make a write fail with
/// 412 (<see cref="Problems.ClpPreconditionFailedException"/>) when someone wrote the object since.</summary>
public static class ClpETag
{
    /// <summary>The ETag of <paramref name="value"/> as read; throws when it has no resourceVersion (an object
    /// built locally, never read from the server).</summary>
    public static string Of(ClpObject value) =>
        value.Metadata.ResourceVersion is { Length: > 0 } rv
            ? $"\"{rv}\""
            : throw new ArgumentException($"{value.Kind} '{value.Metadata.Name}' has no metadata.resourceVersion: read it from the server first", nameof(value));

    /// <summary>The ETag of resourceVersion <paramref name="resourceVersion"/>.</summary>
    public static string Of(long resourceVersion) => $"\"{resourceVersion}\"";
}
