namespace Clp.Client.Problems;

/// <summary>410: the resourceVersion a watch resumes from is older than the retained history: list again and watch from the list's resourceVersion.</summary>
public sealed class ClpGoneException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
