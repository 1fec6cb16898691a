namespace Clp.Client.Problems;

/// <summary>403: the key's role may not do this (a viewer writing, an agent writing another server's status, ...).</summary>
public sealed class ClpForbiddenException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
