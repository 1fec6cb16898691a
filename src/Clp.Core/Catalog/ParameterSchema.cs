using System.Text.Json.Nodes;

namespace Clp.Core.Catalog;

/// <summary>One parameter of a catalog type's closed schema.</summary>
/// <param name="Name">The camelCase key under <c>spec.parameters</c>; matched case-sensitively.</param>
/// <param name="Required">A required parameter has no <paramref name="Default"/>.</param>
/// <param name="Default">Applied by <see cref="TypeCatalog.WithDefaults"/> when the parameter is absent. Shared:
/// callers that put it into a document must <c>DeepClone()</c> it.</param>
/// <param name="Values">For <see cref="ParameterType.Enum"/>: the allowed values, case-sensitive.</param>
/// <param name="Minimum">Inclusive lower bound: of the value for <see cref="ParameterType.Integer"/>, of the
/// item count for lists and maps; ignored for other types.</param>
/// <param name="Maximum">Inclusive upper bound, as <paramref name="Minimum"/>.</param>
public sealed record ParameterSchema(
    string Name,
    ParameterType Type,
    string Description,
    bool Required = false,
    JsonNode? Default = null,
    IReadOnlyList<string>? Values = null,
    long? Minimum = null,
    long? Maximum = null);
