namespace Clp.Client.Problems;

/// <summary>One broken rule of a problem's <c>violations</c> extension.</summary>
/// <param name="Field">The field path, e.g. <c>spec.interconnects[0].network</c>, <c>metadata.name</c>, or a
/// parameter name (<c>limit</c>, <c>If-Match</c>); <c>$</c> for the whole body.</param>
/// <param name="Rule">A kebab-case rule id, e.g. <c>name-unique</c>, <c>heartbeat-timeout-min</c>.</param>
/// <param name="Message">For people; do not parse.</param>
public sealed record ProblemViolation(string Field, string Rule, string Message);
