using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clp.Core.Json;

/// <summary>The one JSON shape of the API and the store: camelCase, enums as names, nulls omitted, and
/// unknown members refused so a typo is an error rather than a silently ignored setting.</summary>
public static class ClpJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>For reading what the store holds: as <see cref="Options"/> but tolerant of members a newer
    /// or older version wrote, so an upgrade or downgrade never makes stored objects unreadable.</summary>
    public static JsonSerializerOptions StoredOptions { get; } = new(Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Applies CLP's settings to <paramref name="options"/> (used for ASP.NET's own options too).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        }

        return options;
    }
}
