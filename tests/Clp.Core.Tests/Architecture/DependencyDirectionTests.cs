using System.Xml.Linq;

namespace Clp.Core.Tests.Architecture;

/// <summary>The project graph follows STYLE.md's table: dependencies point inward only.</summary>
public class DependencyDirectionTests
{
    /// <summary>Every src project and the src projects it may reference (later projects included, so
    /// adding one is a deliberate edit here).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Clp.Core"] = [],
        ["Clp.Policy"] = ["Clp.Core"],
        ["Clp.Store.Sqlite"] = ["Clp.Core"],
        ["Clp.Store.Postgres"] = ["Clp.Core"],
        ["Clp.Controller"] = ["Clp.Core", "Clp.Policy"],
        ["Clp.Hosting"] = ["Clp.Core"],
        ["Clp.Api"] = ["Clp.Core", "Clp.Policy", "Clp.Controller", "Clp.Store.Sqlite", "Clp.Store.Postgres", "Clp.Hosting"],
        ["Clp.Client"] = ["Clp.Core"],
        ["Clp.Agent"] = ["Clp.Core", "Clp.Policy", "Clp.Client", "Clp.Hosting"],
        ["Clp.Agent.Host"] = ["Clp.Agent", "Clp.Drivers.Linux", "Clp.Hosting", "Clp.Core", "Clp.FenceGuard"],
        ["Clp.FenceGuard"] = ["Clp.Core", "Clp.Policy", "Clp.Drivers.Linux"],
        ["Clp.Drivers.Linux"] = ["Clp.Core"],
        ["Clp.Drivers.Simulated"] = ["Clp.Core"],
        ["Clp.Cli"] = ["Clp.Client", "Clp.Core"],
    };

    public static TheoryData<string> SrcProjects() =>
        [.. Directory.GetFiles(System.IO.Path.Combine(RepoRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories).Select(System.IO.Path.GetFileNameWithoutExtension).OfType<string>()];

    [Theory]
    [MemberData(nameof(SrcProjects))]
    public void SrcProject_References_OnlyAllowedProjects(string project)
    {
        Assert.True(Allowed.ContainsKey(project), $"{project} is not in the dependency table; add it deliberately");
        var illegal = IllegalReferences(project, System.IO.Path.Combine(RepoRoot.Path, "src", project, project + ".csproj"));
        Assert.True(illegal.Count == 0, $"{project} references {string.Join(", ", illegal)}, which breaks the dependency direction");
    }

    [Fact]
    public void TestProjects_AreNotReferencedBySrc()
    {
        var all = Directory.GetFiles(System.IO.Path.Combine(RepoRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories);
        var offenders = all.Where(p => ReferencesOf(p).Any(r => r.EndsWith(".Tests", StringComparison.Ordinal))).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Checker_InwardEdge_IsAllowedAndOutwardEdge_IsFlagged()
    {
        var dir = Directory.CreateTempSubdirectory("clp-arch-");
        try
        {
            var csproj = System.IO.Path.Combine(dir.FullName, "x.csproj");
            File.WriteAllText(csproj, "<Project><ItemGroup><ProjectReference Include=\"..\\Clp.Api\\Clp.Api.csproj\" /><ProjectReference Include=\"../Clp.Core/Clp.Core.csproj\" /></ItemGroup></Project>");
            Assert.Equal(["Clp.Api"], IllegalReferences("Clp.Store.Sqlite", csproj));
            var inward = System.IO.Path.Combine(dir.FullName, "y.csproj");
            File.WriteAllText(inward, "<Project><ItemGroup><ProjectReference Include=\"../Clp.Core/Clp.Core.csproj\" /></ItemGroup></Project>");
            Assert.Empty(IllegalReferences("Clp.Store.Sqlite", inward));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<string> IllegalReferences(string project, string csproj) =>
        ReferencesOf(csproj).Except(Allowed[project]).ToList();

    private static List<string> ReferencesOf(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => System.IO.Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
}
