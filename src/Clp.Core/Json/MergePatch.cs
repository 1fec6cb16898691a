using System.Text.Json.Nodes;

namespace Clp.Core.Json;

/// <summary>JSON Merge Patch (RFC 7386): objects merge member by member, <c>null</c> removes a member,
/// anything else (arrays included) replaces.</summary>
public static class MergePatch
{
    /// <summary>Returns the patched copy of <paramref name="target"/>; neither input is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var patched = Apply(result[key], value);
                result[key] = patched;
            }
        }

        return result;
    }
}
