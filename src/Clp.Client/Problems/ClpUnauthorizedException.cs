namespace Clp.Client.Problems;

/// <summary>401: no key, or a key the server does not know (revoked, mistyped).</summary>
public sealed class ClpUnauthorizedException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
