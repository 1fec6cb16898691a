using System.ComponentModel;

namespace Clp.Core.Model;

/// <summary>Identity and bookkeeping of a stored object; every field but <see cref="Name"/> and
/// <see cref="Labels"/> is assigned by the store and ignored on writes.</summary>
public sealed class ObjectMeta
{
    /// <summary>1-31 letters, digits, '-' or '_', starting with a letter or digit; unique per kind in
    /// its cluster, compared case-insensitively.</summary>
    public string Name { get; set; } = "";

    /// <summary>The cluster the object lives in; empty for a Cluster.</summary>
    [Description("The cluster the object lives in; empty for a Cluster. Assigned by the server.")]
    public string? Cluster { get; set; }

    /// <summary>Assigned at creation, never reused: tells a re-created object from the old one.</summary>
    public string? Uid { get; set; }

    /// <summary>The store-wide change sequence number of the last write (also the ETag).</summary>
    [Description("Store-wide sequence number of the object's last change; the ETag. Send it back to detect lost updates.")]
    public string? ResourceVersion { get; set; }

    /// <summary>Incremented on every spec change, never on a status write.</summary>
    public long Generation { get; set; }

    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>Free key/value labels, selectable with <c>labelSelector</c>.</summary>
    public Dictionary<string, string>? Labels { get; set; }
}
