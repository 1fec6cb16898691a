using Clp.Core.Model;

namespace Clp.Core.Catalog;

/// <summary>One resource or monitor type: whether CLP can run it on Linux, its licence option, its closed
/// parameter schema and, for monitors, the timings and targets it allows.</summary>
/// <param name="Type">Lower-case id (<c>^[a-z0-9]+$</c>), CLUSTERPRO's abbreviation.</param>
/// <param name="Supported">False: CLP has no driver for it on Linux; validation must refuse objects of this
/// type with <paramref name="UnsupportedReason"/> (DESIGN, Drivers: never silently accepted).</param>
/// <param name="UnsupportedReason">Non-empty exactly when <paramref name="Supported"/> is false.</param>
/// <param name="LicenseOption">The option of <see cref="LicenseOptions"/> that unlocks the type; null = base
/// product.</param>
/// <param name="Timings">Monitors: the allowed timings, never empty. Resources: empty.</param>
/// <param name="DefaultTiming">Monitors: the timing used when <c>spec.timing</c> is absent. Resources: null.</param>
/// <param name="RequiresTarget">Monitors: <c>spec.target</c> (a resource name) is mandatory. Monitors that
/// allow <see cref="MonitorTiming.Active"/> without requiring a target still need one when Active is
/// chosen.</param>
/// <param name="TargetResourceTypes">Monitors: the resource types the target may have; empty = any.</param>
/// <param name="Parameters">The closed schema: any other key under <c>spec.parameters</c> is an error.</param>
/// <param name="AutoMonitors">Resources: monitors created with each resource of the type.</param>
/// <param name="MirrorDisk">Resources: mirror or hybrid disk; auto failback is refused for their groups.</param>
public sealed record CatalogType(
    string Type,
    TypeCategory Category,
    string DisplayName,
    string Description,
    bool Supported,
    string? UnsupportedReason,
    string? LicenseOption,
    IReadOnlyList<MonitorTiming> Timings,
    MonitorTiming? DefaultTiming,
    bool RequiresTarget,
    IReadOnlyList<string> TargetResourceTypes,
    IReadOnlyList<ParameterSchema> Parameters,
    IReadOnlyList<AutoMonitor> AutoMonitors,
    bool MirrorDisk)
{
    /// <summary>Type-specific checks run after the schema checks; not part of the published schema.</summary>
    internal IReadOnlyList<ParameterRule> Rules { get; init; } = [];

    /// <summary>The parameter with this exact name, or null.</summary>
    public ParameterSchema? FindParameter(string name)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }
}
