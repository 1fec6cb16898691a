using System.Text.Json.Serialization;
using Clp.Core.Model;

namespace Clp.Controller.Leadership;

/// <summary>The leader lease: an internal top-level kind (cluster "", never served by the API), one object
/// named <c>controller</c>.</summary>
internal sealed class ControllerLease
{
    public const string KindName = "ControllerLease";

    public const string Name = "controller";

    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; } = ClpApi.Version;

    [JsonPropertyOrder(-2)]
    public string Kind { get; set; } = KindName;

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new() { Name = Name };

    public ControllerLeaseSpec Spec { get; set; } = new();
}

internal sealed record ControllerLeaseSpec
{
    /// <summary>The leader's identity; empty when released.</summary>
    public string Holder { get; set; } = "";

    /// <summary>Increases on every takeover; every controller write checks it in its transaction.</summary>
    public long Term { get; set; }

    /// <summary>How long a standby waits without seeing a renewal before it takes over.</summary>
    public int LeaseDurationMs { get; set; }

    /// <summary>Incremented by every renewal, so each renewal is a change standbys can see.</summary>
    public long Renewals { get; set; }
}
