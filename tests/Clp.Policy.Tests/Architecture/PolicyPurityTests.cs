using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Clp.Policy.Leases;

namespace Clp.Policy.Tests.Architecture;

/// <summary>Clp.Policy decides and does nothing else: its compiled assembly uses no type of the file system, the network,
/// a store, logging, processes, timers or clocks (time comes in as values). Read from the assembly's metadata, so no
/// using directive, fully qualified name or implicit using slips past.</summary>
public class PolicyPurityTests
{
    private static readonly string[] Forbidden =
    [
        "System.IO.", "System.Net.", "Microsoft.Extensions.Logging.", "Microsoft.Extensions.DependencyInjection.", "Clp.Store.",
        "System.Data.", "Microsoft.Data.", "System.Diagnostics.Process", "System.Threading.Timer", "System.Threading.ITimer",
        "System.Threading.Thread", "System.TimeProvider", "System.DateTime", "System.DateTimeOffset", "System.Environment",
        "System.Console", "System.Random",
    ];

    /// <summary>The full names of the types an assembly uses from elsewhere (its type references).</summary>
    private static List<string> UsedTypes(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeReferences.Select(h => metadata.GetTypeReference(h)).Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")];
    }

    private static List<string> Violations(string assemblyPath) =>
        [.. UsedTypes(assemblyPath).Where(t => Forbidden.Any(f => f.EndsWith('.') ? t.StartsWith(f, StringComparison.Ordinal) : t == f || t.StartsWith(f + "`", StringComparison.Ordinal))).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public void Policy_UsesNoIoNetworkStoreLoggingOrClockType()
    {
        var violations = Violations(typeof(LeaseMachine).Assembly.Location);

        Assert.True(violations.Count == 0, "Clp.Policy uses: " + string.Join(", ", violations));
    }

    [Fact]
    public void Policy_ReferencesNoIoNetworkStoreOrLoggingAssembly()
    {
        var referenced = typeof(LeaseMachine).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.DoesNotContain(referenced, a => a.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal)
                                              || a.StartsWith("System.Net", StringComparison.Ordinal) || a.StartsWith("Clp.Store", StringComparison.Ordinal)
                                              || a.StartsWith("Clp.Agent", StringComparison.Ordinal) || a.StartsWith("Clp.Controller", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_FlagsAnAssemblyThatDoesIo()
    {
        // This test assembly opens files: the checker must see it.
        Assert.Contains("System.IO.File", Violations(typeof(PolicyPurityTests).Assembly.Location));
    }
}
