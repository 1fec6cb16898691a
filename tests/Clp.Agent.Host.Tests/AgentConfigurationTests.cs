namespace Clp.Agent.Host.Tests;

/// <summary>clp-agent refuses missing or invalid settings with exit code 2 and one line naming the setting,
/// before it creates anything or logs.</summary>
public sealed class AgentConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("clp-agent-config-").FullName;

    private string State => Path.Combine(_root, "state");

    public static TheoryData<string, string[], string> MissingSettings() => new()
    {
        { "API URL", ["--cluster", "c1", "--server", "s1"], "CLP_API_URL" },
        { "cluster", ["--api-url", "http://127.0.0.1:9", "--server", "s1"], "CLP_CLUSTER" },
        { "invalid URL", ["--api-url", "ftp://x", "--cluster", "c1", "--server", "s1"], "CLP_API_URL" },
        { "invalid server", ["--api-url", "http://127.0.0.1:9", "--cluster", "c1", "--server", "bad.name"], "CLP_SERVER" },
        { "unknown option", ["--api-url", "http://127.0.0.1:9", "--cluster", "c1", "--bogus", "x"], "--bogus" },
    };

    [Theory]
    [MemberData(nameof(MissingSettings))]
    public async Task MissingOrInvalidSetting_ExitsTwo_NamingIt(string setting, string[] args, string named)
    {
        var (code, output) = await RunAsync([.. args, "--state-dir", State], new() { ["CLP_AGENT_KEY"] = "some-agent-key-000000" });
        AssertRefused(code, output, named, setting);
    }

    [Fact]
    public async Task MissingKey_ExitsTwo_NamingKeySettings()
    {
        var (code, output) = await RunAsync(["--api-url", "http://127.0.0.1:9", "--cluster", "c1", "--server", "s1", "--state-dir", State], []);
        AssertRefused(code, output, "CLP_AGENT_KEY_FILE", "agent key");
    }

    [Fact]
    public async Task WorldReadableKeyFile_IsRefused()
    {
        var keyFile = Path.Combine(_root, "key");
        await File.WriteAllTextAsync(keyFile, "some-agent-key-000000\n");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (code, output) = await RunAsync(["--api-url", "http://127.0.0.1:9", "--cluster", "c1", "--server", "s1", "--state-dir", State, "--key-file", keyFile], []);
        AssertRefused(code, output, "CLP_AGENT_KEY_FILE", "world-readable key file");
        Assert.Contains("chmod 600", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealSystemActions_WithTestHostPowerFile_AreRefused()
    {
        var (code, output) = await RunAsync(["--api-url", "http://127.0.0.1:9", "--cluster", "c1", "--server", "s1", "--state-dir", State, "--system-actions", "linux"],
            new() { ["CLP_AGENT_KEY"] = "some-agent-key-000000", ["CLP_TEST_HOST_POWER_FILE"] = Path.Combine(_root, "power") });
        AssertRefused(code, output, "CLP_SYSTEM_ACTIONS", "real system actions in a test");
    }

    [Fact]
    public async Task Help_And_Version_ExitZero()
    {
        var (help, usage) = await RunAsync(["--help"], []);
        Assert.Equal(0, help);
        Assert.Contains("CLP_API_URL", usage, StringComparison.Ordinal);
        Assert.Contains("TEST SEAM", usage, StringComparison.Ordinal);
        var (version, text) = await RunAsync(["--version"], []);
        Assert.Equal(0, version);
        Assert.StartsWith("clp-agent ", text, StringComparison.Ordinal);
    }

    private void AssertRefused(int code, string output, string named, string setting)
    {
        Assert.True(code == 2, $"{setting}: expected exit code 2, got {code}: {output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{setting}: expected one line, got:\n{output}");
        Assert.Contains(named, lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(State), $"{setting}: the state directory was created although a setting is invalid");
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        await using var agent = ChildProcess.Start("clp-agent", ChildProcess.BuiltDll("ClpAgentPath"), args, environment);
        var code = await agent.WaitForExitAsync("refusing its settings", TimeSpan.FromSeconds(30));
        return (code, agent.Output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
