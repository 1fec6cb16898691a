namespace Clp.Client.Problems;

/// <summary>409: a conflict, already-exists or has-dependents problem: the state of the world refuses the write (re-read and decide; <see cref="ClpProblemException.Dependents"/> lists what blocks a delete).</summary>
public sealed class ClpConflictException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
