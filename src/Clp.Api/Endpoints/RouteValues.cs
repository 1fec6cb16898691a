using System.Globalization;
using Clp.Api.Objects;
using Clp.Core.Model;
using Clp.Core.Validation;

namespace Clp.Api.Endpoints;

/// <summary>Reads the path and header values every object route shares.</summary>
internal static class RouteValues
{
    /// <summary>The cluster of a cluster kind's route as the store keys it (names compare
    /// case-insensitively; the store compares clusters exactly, so every caller passes the lower-case key).</summary>
    public static string Cluster(HttpContext context, KindInfo kind) =>
        kind.TopLevel ? "" : Names.Key((string)context.Request.RouteValues["cluster"]!);

    public static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    /// <summary>The cluster an access decision is about (a Cluster's own name for the Cluster kind).</summary>
    public static string AccessCluster(HttpContext context, KindInfo kind, string? name) =>
        kind.TopLevel ? name ?? "" : Cluster(context, kind);

    /// <summary>The resourceVersion named by <c>If-Match</c> (<c>"42"</c>, <c>W/"42"</c> or <c>42</c>); null
    /// for none or <c>*</c>.</summary>
    public static long? IfMatch(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        var value = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        value = value.Trim('"');
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            throw ApiProblemException.BadParameter("If-Match", $"If-Match '{header}' is not an ETag this server issued (a quoted resourceVersion)");
        }

        return rv;
    }

    public static void SetETag(HttpContext context, ClpObject value) =>
        context.Response.Headers.ETag = $"\"{value.Metadata.ResourceVersion}\"";
}
