using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Clp.Client.Problems;

/// <summary>Turns an error response into the typed exception of its status: the problem+json body when there
/// is one, else the status with the body text. Reads at most <see cref="MaxBodyBytes"/> of the body.</summary>
internal static class ProblemReader
{
    public const int MaxBodyBytes = 64 * 1024;

    private const int MaxDetailChars = 2048;

    public static async Task<ClpProblemException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = (int)response.StatusCode;
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response.Content, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return Create(new ClpProblem { Status = status, Title = response.ReasonPhrase, Detail = $"the error body could not be read: {e.Message}" }, e);
        }

        return Create(Parse(status, response.ReasonPhrase, response.Content.Headers.ContentType, body));
    }

    /// <summary>The exception type of <paramref name="problem"/>'s status (the status decides, so a proxy's
    /// 404 page is a <see cref="ClpNotFoundException"/> too).</summary>
    public static ClpProblemException Create(ClpProblem problem, Exception? inner = null) => problem.Status switch
    {
        400 => new ClpValidationException(problem, inner),
        401 => new ClpUnauthorizedException(problem, inner),
        403 => new ClpForbiddenException(problem, inner),
        404 => new ClpNotFoundException(problem, inner),
        409 => new ClpConflictException(problem, inner),
        410 => new ClpGoneException(problem, inner),
        412 => new ClpPreconditionFailedException(problem, inner),
        415 => new ClpUnsupportedMediaTypeException(problem, inner),
        _ => new ClpProblemException(problem, inner),
    };

    public static ClpProblem Parse(int status, string? reason, MediaTypeHeaderValue? contentType, ReadOnlySpan<byte> body)
    {
        var media = contentType?.MediaType ?? "";
        if (media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                var root = JsonElement.ParseValue(ref reader);
                if (root.ValueKind == JsonValueKind.Object)
                {
                    return FromJson(status, root);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: reported as text below.
            }
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        return new ClpProblem
        {
            Status = status,
            Title = reason,
            Detail = text.Length == 0 ? null : text.Length > MaxDetailChars ? text[..MaxDetailChars] + "..." : text,
        };
    }

    /// <summary>A problem object; its own <c>status</c> is ignored in favour of the response's.</summary>
    public static ClpProblem FromJson(int status, JsonElement root)
    {
        var extensions = new Dictionary<string, JsonElement>();
        string? type = null, title = null, detail = null, instance = null;
        List<ProblemViolation> violations = [];
        List<string> dependents = [];
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type": type = StringOf(member.Value); break;
                case "title": title = StringOf(member.Value); break;
                case "detail": detail = StringOf(member.Value); break;
                case "instance": instance = StringOf(member.Value); break;
                case "status": break;
                case "violations" when member.Value.ValueKind == JsonValueKind.Array:
                    violations.AddRange(member.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object).Select(v => new ProblemViolation(
                        Member(v, "field") ?? "$", Member(v, "rule") ?? "", Member(v, "message") ?? "")));
                    break;
                case "dependents" when member.Value.ValueKind == JsonValueKind.Array:
                    dependents.AddRange(member.Value.EnumerateArray().Select(StringOf).OfType<string>());
                    break;
                default: extensions[member.Name] = member.Value.Clone(); break;
            }
        }

        return new ClpProblem
        {
            Status = status,
            Type = string.IsNullOrEmpty(type) ? ClpProblem.AboutBlank : type,
            Title = title,
            Detail = detail,
            Instance = instance,
            Violations = violations,
            Dependents = dependents,
            Extensions = extensions,
        };
    }

    private static string? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? StringOf(value) : null;

    private static string? StringOf(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }
}
