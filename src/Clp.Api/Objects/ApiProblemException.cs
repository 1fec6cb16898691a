using Clp.Core.Validation;

namespace Clp.Api.Objects;

/// <summary>An expected failure of a request, turned into problem+json by <c>ProblemMapping</c>.</summary>
public sealed class ApiProblemException(int status, string type, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string Title { get; } = title;

    /// <summary>For validation failures: every broken rule.</summary>
    public IReadOnlyList<ValidationError> Violations { get; init; } = [];

    /// <summary>For a refused delete: what still depends on the object.</summary>
    public IReadOnlyList<string> Dependents { get; init; } = [];

    public static ApiProblemException Validation(IReadOnlyList<ValidationError> violations) =>
        new(400, Core.Problems.ProblemTypes.ValidationFailed, "The object is invalid",
            string.Join("; ", violations.Take(5).Select(v => $"{v.Field}: {v.Message} [{v.Rule}]"))
            + (violations.Count > 5 ? $"; and {violations.Count - 5} more" : ""))
        {
            Violations = violations,
        };

    public static ApiProblemException Invalid(string field, string rule, string message) =>
        Validation([new ValidationError(field, rule, message)]);

    public static ApiProblemException Malformed(string field, string message) =>
        new(400, Core.Problems.ProblemTypes.MalformedRequest, "The request body is malformed", message)
        {
            Violations = [new ValidationError(field, "malformed", message)],
        };

    public static ApiProblemException BadParameter(string parameter, string message) =>
        new(400, Core.Problems.ProblemTypes.InvalidParameter, "A query parameter is invalid", message)
        {
            Violations = [new ValidationError(parameter, "invalid-parameter", message)],
        };

    public static ApiProblemException NotFound(string what) =>
        new(404, Core.Problems.ProblemTypes.NotFound, "Not found", $"{what} does not exist");
}
