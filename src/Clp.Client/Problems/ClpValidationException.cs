namespace Clp.Client.Problems;

/// <summary>400: a validation-failed, malformed-request or invalid-parameter problem: the request is wrong as sent; <see cref="ClpProblemException.Violations"/> names each field.</summary>
public sealed class ClpValidationException(ClpProblem problem, Exception? innerException = null)
    : ClpProblemException(problem, innerException);
