using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clp.Core.Json;

namespace Clp.Api.Objects;

/// <summary>Reads request bodies with CLP's strict JSON rules and turns every parse or shape error into a
/// 400 that names the field (never a 500, never a silent default).</summary>
public static partial class JsonBody
{
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>The body as a JSON node; 415 for a non-JSON content type, 400 for bad JSON.</summary>
    public static async Task<JsonNode> ReadNodeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType ?? "";
        if (!(contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
              || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiProblemException(415, Core.Problems.ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"the body must be JSON (application/json or application/merge-patch+json), not '{contentType}'");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw ApiProblemException.Malformed("$", $"the body is larger than {MaxBodyBytes} bytes");
        }

        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return node ?? throw ApiProblemException.Malformed("$", "the body is JSON null; an object is expected");
        }
        catch (JsonException e)
        {
            throw ApiProblemException.Malformed(FieldOf(e), $"the body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Binds <paramref name="node"/> to <typeparamref name="T"/>; 400 naming the field on a type
    /// mismatch or an unknown member.</summary>
    public static T Bind<T>(JsonNode node, string prefix = "")
        where T : class => (T)Bind(node, typeof(T), prefix);

    /// <inheritdoc cref="Bind{T}"/>
    public static object Bind(JsonNode node, Type type, string prefix = "")
    {
        if (node is not JsonObject)
        {
            throw ApiProblemException.Malformed(prefix.Length == 0 ? "$" : prefix, $"{(prefix.Length == 0 ? "the body" : prefix)} must be a JSON object");
        }

        try
        {
            var value = node.Deserialize(type, ClpJson.Options)
                ?? throw ApiProblemException.Malformed(prefix.Length == 0 ? "$" : prefix, "an object is expected");
            Normalizer.Fill(value);
            return value;
        }
        catch (JsonException e)
        {
            var field = Join(prefix, FieldOf(e));
            var unknown = UnknownMember().Match(e.Message);
            if (unknown.Success)
            {
                var member = unknown.Groups[1].Value;
                if (field != member && !field.EndsWith("." + member, StringComparison.Ordinal))
                {
                    field = Join(field == "$" ? "" : field, member);
                }

                throw ApiProblemException.Invalid(field, "unknown-field", $"{field} is not a field of this object");
            }

            throw ApiProblemException.Invalid(field, "type", $"{field} has the wrong type or format: {Brief(e.Message)}");
        }
    }

    private static string Join(string prefix, string field) =>
        prefix.Length == 0 ? field : field is "$" or "" ? prefix : $"{prefix}.{field}";

    /// <summary>The JSON path of an exception, without the leading <c>$.</c>.</summary>
    private static string FieldOf(JsonException e)
    {
        var path = e.Path ?? "$";
        return path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Brief(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();
}
