using System.Text.Json.Nodes;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>A type-specific check beyond the per-parameter schema (cross-parameter or value semantics).
/// Receives the parameters with defaults applied; must skip values of the wrong JSON type, which the schema
/// check has already reported.</summary>
internal delegate void ParameterRule(JsonObject effective, string fieldPrefix, List<ValidationError> errors);
