namespace Clp.Core.Validation;

/// <summary>One broken rule: the JSON field path it is about (e.g. <c>spec.heartbeat.timeoutMs</c>,
/// <c>spec.parameters.ip</c>), a stable kebab-case rule id, and a message for people.</summary>
public sealed record ValidationError(string Field, string Rule, string Message);
