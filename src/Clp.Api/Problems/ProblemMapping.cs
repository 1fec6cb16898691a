using System.Text.RegularExpressions;
using Clp.Api.Objects;
using Clp.Core.Problems;
using Clp.Core.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Clp.Api.Problems;

/// <summary>Turns every expected failure into RFC 7807 problem+json with a stable type and the field it
/// is about; anything else is a bug, logged and answered 500 without internals.</summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        var problem = ToProblem(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(exception, context.Request.Method, context.Request.Path);
        }

        problem.Instance = context.Request.Path;
        context.Response.StatusCode = problem.Status!.Value;
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
        {
            return true;
        }

        // The problem details writer declines when the request's Accept excludes JSON (an SSE client sends
        // only text/event-stream); the error is still answered as problem+json rather than an empty body.
        await context.Response.WriteAsJsonAsync(problem, problem.GetType(), Core.Json.ClpJson.Options, "application/problem+json", cancellationToken);
        return true;
    }

    internal static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ApiProblemException e when e.Violations.Count > 0 => Validation(e),
        ApiProblemException e => WithDependents(new ProblemDetails { Status = e.Status, Type = e.Type, Title = e.Title, Detail = e.Message }, e),
        ObjectNotFoundException e => new() { Status = 404, Type = ProblemTypes.NotFound, Title = "Not found", Detail = e.Message },
        ObjectAlreadyExistsException e => Field(409, ProblemTypes.AlreadyExists, "Already exists", e.Message, "metadata.name", "name-unique"),
        ResourceVersionConflictException e => new() { Status = 409, Type = ProblemTypes.Conflict, Title = "Conflict", Detail = e.Message },
        ResourceVersionGoneException e => new() { Status = 410, Type = ProblemTypes.Gone, Title = "Resource version too old", Detail = e.Message },
        BadHttpRequestException e => BadRequest(e),
        _ => new() { Status = 500, Type = ProblemTypes.Internal, Title = "Internal error", Detail = "an unexpected error occurred; the server log has the details" },
    };

    private static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        var match = ParameterName().Match(e.Message);
        var field = match.Success ? char.ToLowerInvariant(match.Groups[1].Value[0]) + match.Groups[1].Value[1..] : "$";
        return Field(e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, ProblemTypes.InvalidParameter, "A request parameter is invalid", e.Message, field, "invalid-parameter");
    }

    private static HttpValidationProblemDetails Field(int status, string type, string title, string detail, string field, string rule)
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
        {
            Status = status,
            Type = type,
            Title = title,
            Detail = detail,
        };
        problem.Extensions["violations"] = new[] { new { field, rule, message = detail } };
        return problem;
    }

    private static HttpValidationProblemDetails Validation(ApiProblemException e)
    {
        var problem = new HttpValidationProblemDetails(
            e.Violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray()))
        {
            Status = e.Status,
            Type = e.Type,
            Title = e.Title,
            Detail = e.Message,
        };
        problem.Extensions["violations"] = e.Violations.Select(v => new { field = v.Field, rule = v.Rule, message = v.Message }).ToArray();
        return problem;
    }

    private static ProblemDetails WithDependents(ProblemDetails problem, ApiProblemException e)
    {
        if (e.Dependents.Count > 0)
        {
            problem.Extensions["dependents"] = e.Dependents;
        }

        return problem;
    }

    /// <summary>Gives problems the framework writes itself (no route, wrong method, wrong content type)
    /// CLP's stable types.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith("urn:clp:", StringComparison.Ordinal))
        {
            return;
        }

        (problem.Type, problem.Detail) = problem.Status switch
        {
            404 => (ProblemTypes.NotFound, problem.Detail ?? $"no route matches {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}"),
            405 => (ProblemTypes.MethodNotAllowed, problem.Detail ?? $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}"),
            415 => (ProblemTypes.UnsupportedMediaType, problem.Detail ?? $"the body must be JSON (application/json or application/merge-patch+json), not '{context.HttpContext.Request.ContentType}'"),
            _ => (problem.Type, problem.Detail),
        };
    }

    [GeneratedRegex("parameter \"[^\"]*? (\\w+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
