using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Clp.Core.Tests.Architecture;

/// <summary>No method in src/ is longer than <see cref="MaxLines"/> lines (issue 13): a long method hides decisions in
/// its branches. Every method, constructor, operator, accessor and local function is measured from its first line to
/// its last, as an editor shows it, comments and blank lines included.</summary>
public class MethodLengthTests
{
    public const int MaxLines = 80;

    private static IEnumerable<(string File, string Method, int Lines)> Measure(string file, string text)
    {
        var root = CSharpSyntaxTree.ParseText(text, path: file).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            var name = node switch
            {
                MethodDeclarationSyntax m => m.Identifier.Text,
                ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
                OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
                AccessorDeclarationSyntax a => a.Keyword.Text + " accessor",
                LocalFunctionStatementSyntax l => l.Identifier.Text + " (local function)",
                _ => null,
            };
            if (name is null)
            {
                continue;
            }

            var span = node.GetLocation().GetLineSpan();
            yield return (file, name, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
        }
    }

    [Fact]
    public void NoMethodInSrc_IsLongerThan80Lines()
    {
        var src = Path.Combine(RepoRoot.Path, "src");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var tooLong = files.SelectMany(f => Measure(Path.GetRelativePath(RepoRoot.Path, f), File.ReadAllText(f)))
            .Where(m => m.Lines > MaxLines)
            .OrderByDescending(m => m.Lines)
            .ToList();

        Assert.True(tooLong.Count == 0, "methods over " + MaxLines + " lines:\n" + string.Join("\n", tooLong.Select(m => $"  {m.File}: {m.Method} ({m.Lines})")));
    }

    [Fact]
    public void Measure_CountsFromTheFirstLineToTheLast()
    {
        var body = string.Join("\n", Enumerable.Range(0, 81).Select(i => $"        var x{i} = {i};"));
        var text = $"class C\n{{\n    void Long()\n    {{\n{body}\n    }}\n\n    int P {{ get {{ return 1; }} }}\n}}\n";

        var measured = Measure("c.cs", text).ToList();

        Assert.Equal(84, measured.Single(m => m.Method == "Long").Lines);
        Assert.Equal(1, measured.Single(m => m.Method == "get accessor").Lines);
    }
}
