using System.Text.RegularExpressions;
using Clp.Core.Validation;

namespace Clp.Core.Catalog;

/// <summary>Consistency checks a catalog must pass at construction, so an edit that breaks one fails at
/// start-up rather than as a wrong answer to a user.</summary>
internal static partial class CatalogInvariants
{
    public static void Check(TypeCatalog catalog)
    {
        var problems = new List<string>();
        var resourceIds = catalog.ResourceTypes.Select(t => t.Type).ToHashSet(StringComparer.Ordinal);
        foreach (var type in catalog.ResourceTypes.Concat(catalog.MonitorTypes))
        {
            CheckCommon(type, problems);
            if (type.Category == TypeCategory.Resource)
            {
                CheckResource(catalog, type, problems);
            }
            else
            {
                CheckMonitor(type, resourceIds, problems);
            }
        }

        foreach (var id in catalog.MonitorTypes.Select(t => t.Type).Where(resourceIds.Contains))
        {
            problems.Add($"'{id}' is both a resource and a monitor type");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid type catalog: " + string.Join("; ", problems));
        }
    }

    private static void CheckCommon(CatalogType type, List<string> problems)
    {
        if (!TypeIdPattern().IsMatch(type.Type))
        {
            problems.Add($"type id '{type.Type}' must match ^[a-z0-9]+$");
        }

        if (type.Supported != (type.UnsupportedReason is null) || type.UnsupportedReason?.Trim().Length == 0)
        {
            problems.Add($"{type.Type}: an unsupported type, and only one, has a non-empty reason");
        }

        if (type.LicenseOption is { } option && !LicenseOptions.All.Contains(option))
        {
            problems.Add($"{type.Type}: unknown licence option '{option}'");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in type.Parameters)
        {
            var where = $"{type.Type}.{parameter.Name}";
            if (!ParameterNamePattern().IsMatch(parameter.Name) || !names.Add(parameter.Name))
            {
                problems.Add($"{where}: parameter names are camelCase and unique (case-insensitively)");
            }

            if (parameter.Required && parameter.Default is not null)
            {
                problems.Add($"{where}: a required parameter has no default");
            }

            if (parameter.Type == ParameterType.Enum && (parameter.Values is null || parameter.Values.Count == 0))
            {
                problems.Add($"{where}: an enum needs values");
            }

            if (parameter.Default is not null)
            {
                var errors = new List<ValidationError>();
                ParameterValidator.CheckValue(parameter, parameter.Default, where, errors);
                problems.AddRange(errors.Select(e => $"{where}: default breaks rule {e.Rule}"));
            }
        }
    }

    private static void CheckResource(TypeCatalog catalog, CatalogType type, List<string> problems)
    {
        if (type.Timings.Count > 0 || type.DefaultTiming is not null || type.RequiresTarget || type.TargetResourceTypes.Count > 0)
        {
            problems.Add($"{type.Type}: a resource type has no timings or targets");
        }

        foreach (var auto in type.AutoMonitors)
        {
            var monitor = catalog.FindMonitorType(auto.MonitorType);
            if (monitor is null)
            {
                problems.Add($"{type.Type}: auto monitor type '{auto.MonitorType}' is not in the catalog");
            }
            else if (monitor.TargetResourceTypes.Count > 0 && !monitor.TargetResourceTypes.Contains(type.Type))
            {
                problems.Add($"{type.Type}: auto monitor '{auto.MonitorType}' cannot target it");
            }

            if (!Names.IsValid(auto.NamePrefix) || auto.NamePrefix.Length > 12)
            {
                problems.Add($"{type.Type}: auto monitor prefix '{auto.NamePrefix}' must be a valid name of at most 12 characters");
            }

            if (auto.OnlyWhenTrue is { } flag && type.FindParameter(flag)?.Type != ParameterType.Boolean)
            {
                problems.Add($"{type.Type}: auto monitor condition '{flag}' is not a Boolean parameter");
            }
        }
    }

    private static void CheckMonitor(CatalogType type, HashSet<string> resourceIds, List<string> problems)
    {
        if (type.Timings.Count == 0 || type.DefaultTiming is not { } timing || !type.Timings.Contains(timing))
        {
            problems.Add($"{type.Type}: a monitor type has timings and a default among them");
        }

        if (type.AutoMonitors.Count > 0 || type.MirrorDisk)
        {
            problems.Add($"{type.Type}: auto monitors and mirror disk are for resource types");
        }

        foreach (var target in type.TargetResourceTypes.Where(t => !resourceIds.Contains(t)))
        {
            problems.Add($"{type.Type}: target type '{target}' is not a resource type");
        }
    }

    [GeneratedRegex("^[a-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeIdPattern();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterNamePattern();
}
