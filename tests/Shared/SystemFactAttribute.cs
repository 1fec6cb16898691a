namespace Clp.Tests.Shared;

/// <summary>A system-tier test: it needs root (network namespaces, addresses, mounts, loop devices) and the
/// tools <c>tests/run</c> installs as root. Elsewhere it is reported skipped with the reason, and under
/// <c>CI=true</c> a skipped test fails the run (tests/run counts it as failed).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SystemFactAttribute : FactAttribute
{
    public SystemFactAttribute(params string[] tools)
    {
        Skip = SystemTier.WhyNot(tools);
    }
}

/// <summary>The <see cref="TheoryAttribute"/> twin of <see cref="SystemFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SystemTheoryAttribute : TheoryAttribute
{
    public SystemTheoryAttribute(params string[] tools)
    {
        Skip = SystemTier.WhyNot(tools);
    }
}

internal static class SystemTier
{
    private static readonly string[] Always = ["ip", "setsid"];

    /// <summary>Null when this machine can run a system test needing <paramref name="tools"/>; else why not.</summary>
    public static string? WhyNot(string[] tools)
    {
        if (!IsRootById())
        {
            return "system tier: needs root (run tests/run as root)";
        }

        var missing = Always.Concat(tools).Where(t => Which(t) is null).ToList();
        return missing.Count == 0 ? null : $"system tier: missing {string.Join(", ", missing)} (tests/run installs them as root)";
    }

    /// <summary>The full path of an executable on PATH (or the sbin folders), or null.</summary>
    public static string? Which(string tool)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    private static bool IsRootById()
    {
        try
        {
            // /proc/self/status "Uid:" line: real, effective, saved, filesystem.
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } && fields[2] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
