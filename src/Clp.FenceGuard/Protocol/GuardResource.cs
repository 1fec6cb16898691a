using System.Text.Json.Nodes;

namespace Clp.FenceGuard.Protocol;

/// <summary>One resource the guard must release: enough for the real Linux driver of its type to deactivate
/// it without the agent (the agent's view of the resource, sent while the agent was alive).</summary>
public sealed record GuardResource
{
    public required string Name { get; init; }

    /// <summary>The catalog type (<c>fip</c>, <c>appli</c>, <c>sd</c>, <c>script</c>, <c>service</c>).</summary>
    public required string Type { get; init; }

    public required JsonObject Parameters { get; init; }

    /// <summary>The resource's own stop timeout; the guard's budget may cut it shorter.</summary>
    public int StopTimeoutSeconds { get; init; }

    /// <summary>The placement epoch the agent last acted under (scripts see it as CLP_EPOCH).</summary>
    public long Epoch { get; init; }
}
