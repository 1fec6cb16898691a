using System.Net;

namespace Clp.Client.Problems;

/// <summary>An error answer of clp-api: the RFC 7807 problem+json it sent, or, for a body that is not a
/// problem (a proxy's HTML page, an empty 502), the status with type <c>about:blank</c> and the body text
/// as <see cref="Detail"/>. Switch on the subclass or on <see cref="Type"/> (a stable
/// <c>urn:clp:problem:*</c>, <see cref="Core.Problems.ProblemTypes"/>), never on titles or messages.</summary>
public class ClpProblemException : Exception
{
    public ClpProblemException(ClpProblem problem, Exception? innerException = null)
        : base(problem.ToMessage(), innerException)
    {
        Problem = problem;
    }

    /// <summary>Everything the server said, extensions included.</summary>
    public ClpProblem Problem { get; }

    public int Status => Problem.Status;

    public HttpStatusCode StatusCode => (HttpStatusCode)Problem.Status;

    /// <summary>A <c>urn:clp:problem:*</c> URI, or <c>about:blank</c> for a body that was not a problem.</summary>
    public string Type => Problem.Type;

    public string? Title => Problem.Title;

    public string? Detail => Problem.Detail;

    /// <summary>The request path the problem is about.</summary>
    public string? Instance => Problem.Instance;

    /// <summary>Every broken rule with its field path (<c>spec.heartbeat.timeoutMs</c>), rule id and message;
    /// empty when the problem names no field.</summary>
    public IReadOnlyList<ProblemViolation> Violations => Problem.Violations;

    /// <summary>For a refused delete (409 <c>has-dependents</c>): the objects that still name the target.</summary>
    public IReadOnlyList<string> Dependents => Problem.Dependents;
}
