namespace Clp.Client.Problems;

/// <summary>412: <c>If-Match</c> named an older resourceVersion: someone wrote the object since it was read.</summary>
public sealed class ClpPreconditionFailedException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
