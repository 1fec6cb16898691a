namespace Clp.Client.Problems;

/// <summary>415: the body was not sent as JSON.</summary>
public sealed class ClpUnsupportedMediaTypeException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
