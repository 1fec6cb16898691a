namespace Clp.Client.Problems;

/// <summary>404: the object, its cluster or the route does not exist.</summary>
public sealed class ClpNotFoundException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
