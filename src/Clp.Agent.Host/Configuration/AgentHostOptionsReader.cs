using Clp.Core.Validation;
using Microsoft.Extensions.Configuration;

namespace Clp.Agent.Host.Configuration;

/// <summary>Reads clp-agent's settings from the optional JSON file, then the environment, then the command line
/// (each later source wins), validates them, reads the agent key and creates the state folder.</summary>
/// <remarks>Every problem is collected and reported on one line (<see cref="AgentConfigurationException"/>),
/// each naming its option and environment variable; nothing is created while any setting is invalid.</remarks>
public static class AgentHostOptionsReader
{
    /// <summary>Where a server's state lives unless <see cref="AgentSetting.StateDirectory"/> says otherwise.</summary>
    public const string DefaultStateRoot = "/var/lib/clp-agent";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <exception cref="AgentConfigurationException">A setting is missing or invalid.</exception>
    public static AgentHostOptions Read(IReadOnlyList<string> args, Func<string, string?> environment, string hostName)
    {
        var configuration = Build(ParseCommandLine(args), environment);
        var errors = new List<string>();
        var apiUrl = ReadApiUrl(configuration, errors);
        var cluster = ReadName(configuration, AgentSetting.Cluster, null, errors);
        var server = ReadName(configuration, AgentSetting.Server, hostName, errors);
        var key = ReadKey(configuration, errors);
        var (actions, powerFile) = ReadSystemActions(configuration, errors);
        var fenceGuard = ReadSwitch(configuration, AgentSetting.FenceGuard, true, errors);
        var state = configuration[AgentSetting.StateDirectory.Key] is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(DefaultStateRoot, server ?? "");
        if (errors.Count == 0)
        {
            CreateStateDirectory(state, errors);
        }

        if (errors.Count > 0)
        {
            throw new AgentConfigurationException(string.Join("; ", errors));
        }

        return new AgentHostOptions
        {
            ApiUrl = apiUrl!,
            Cluster = cluster!,
            Server = server!,
            AgentKey = key!,
            StateDirectory = state,
            SystemActions = actions,
            TestHostPowerFile = powerFile,
            FenceGuard = fenceGuard,
        };
    }

    /// <summary>Options as <c>--name value</c> or <c>--name=value</c>; anything else is refused.</summary>
    private static Dictionary<string, string> ParseCommandLine(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, (string?)v) : (args[i], null);
            var setting = AgentSetting.All.FirstOrDefault(s => s.Option == name)
                ?? throw new AgentConfigurationException($"unknown option '{args[i]}' (clp-agent --help lists the options)");
            value ??= i + 1 < args.Count ? args[++i] : throw new AgentConfigurationException($"option {name} needs a value");
            values[setting.Key] = value;
        }

        return values;
    }

    private static IConfiguration Build(Dictionary<string, string> commandLine, Func<string, string?> environment)
    {
        var fromEnvironment = AgentSetting.All
            .Select(s => (s.Key, Value: environment(s.EnvironmentVariable)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .ToDictionary(s => s.Key, s => s.Value);
        var builder = new ConfigurationBuilder();
        var file = commandLine.GetValueOrDefault(AgentSetting.Config.Key) ?? fromEnvironment.GetValueOrDefault(AgentSetting.Config.Key);
        if (file is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(fromEnvironment).AddInMemoryCollection(commandLine!);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
        {
            throw new AgentConfigurationException($"cannot read the configuration file {file} ({AgentSetting.Config.Names}): {e.Message}");
        }
    }

    private static Uri? ReadApiUrl(IConfiguration configuration, List<string> errors)
    {
        var text = configuration[AgentSetting.ApiUrl.Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"missing setting: the API URL ({AgentSetting.ApiUrl.Names})");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"invalid API URL '{text}' ({AgentSetting.ApiUrl.Names}): an absolute http or https URL is expected");
            return null;
        }

        return uri;
    }

    private static string? ReadName(IConfiguration configuration, AgentSetting setting, string? fallback, List<string> errors)
    {
        var name = configuration[setting.Key] is { Length: > 0 } given ? given : fallback;
        if (string.IsNullOrEmpty(name))
        {
            errors.Add($"missing setting: the {setting.Key.ToLowerInvariant()} name ({setting.Names})");
            return null;
        }

        if (!Names.IsValid(name))
        {
            var source = fallback is not null && configuration[setting.Key] is null ? ", default: the host name" : "";
            errors.Add($"invalid {setting.Key.ToLowerInvariant()} name '{name}' ({setting.Names}{source}): 1-{Names.MaxLength} letters, digits, '-' or '_', starting with a letter or digit");
            return null;
        }

        return name;
    }

    private static string? ReadKey(IConfiguration configuration, List<string> errors)
    {
        var key = configuration[AgentSetting.AgentKey.Key];
        var file = configuration[AgentSetting.AgentKeyFile.Key];
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(file))
        {
            errors.Add($"set one of {AgentSetting.AgentKey.Names} and {AgentSetting.AgentKeyFile.Names}, not both");
            return null;
        }

        if (string.IsNullOrEmpty(file))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add($"missing setting: the agent key ({AgentSetting.AgentKeyFile.Names}, or {AgentSetting.AgentKey.Names})");
                return null;
            }

            return key.Trim();
        }

        return ReadKeyFile(Path.GetFullPath(file), errors);
    }

    private static string? ReadKeyFile(string file, List<string> errors)
    {
        try
        {
            // Others must not read (or replace) the key: refuse rather than leak it on a shared machine.
            var mode = File.GetUnixFileMode(file);
            if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                errors.Add($"the agent key file {file} ({AgentSetting.AgentKeyFile.Names}) is accessible to every user (mode {Octal(mode)}); chmod 600 it");
                return null;
            }

            var key = File.ReadAllText(file).Trim();
            if (key.Length == 0)
            {
                errors.Add($"the agent key file {file} ({AgentSetting.AgentKeyFile.Names}) is empty");
                return null;
            }

            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cannot read the agent key file {file} ({AgentSetting.AgentKeyFile.Names}): {e.Message}");
            return null;
        }
    }

    private static (SystemActionsKind Kind, string? PowerFile) ReadSystemActions(IConfiguration configuration, List<string> errors)
    {
        var text = configuration[AgentSetting.SystemActions.Key] ?? "linux";
        var powerFile = configuration[AgentSetting.TestHostPowerFile.Key];
        switch (text.ToLowerInvariant())
        {
            case "linux":
                // A harness that set the power file means a test: the real machine must not be touched by mistake.
                if (!string.IsNullOrEmpty(powerFile))
                {
                    errors.Add($"{AgentSetting.TestHostPowerFile.Names} is set, so this is a test: the real 'linux' system actions ({AgentSetting.SystemActions.Names}) are refused; pass {AgentSetting.SystemActions.Option} test-host");
                }

                return (SystemActionsKind.Linux, null);
            case "test-host":
                if (string.IsNullOrEmpty(powerFile))
                {
                    errors.Add($"missing setting: test-host system actions need the power file ({AgentSetting.TestHostPowerFile.Names})");
                    return (SystemActionsKind.TestHost, null);
                }

                return (SystemActionsKind.TestHost, Path.GetFullPath(powerFile));
            default:
                errors.Add($"invalid system actions '{text}' ({AgentSetting.SystemActions.Names}): 'linux' or 'test-host' is expected");
                return (SystemActionsKind.Linux, null);
        }
    }

    private static bool ReadSwitch(IConfiguration configuration, AgentSetting setting, bool fallback, List<string> errors)
    {
        switch (configuration[setting.Key]?.Trim().ToLowerInvariant())
        {
            case null or "":
                return fallback;
            case "on" or "true" or "1":
                return true;
            case "off" or "false" or "0":
                return false;
            case var other:
                errors.Add($"invalid value '{other}' for {setting.Names}: 'on' or 'off' is expected");
                return fallback;
        }
    }

    private static void CreateStateDirectory(string state, List<string> errors)
    {
        try
        {
            if (!Directory.Exists(state))
            {
                Directory.CreateDirectory(state, OwnerOnly);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cannot create the state directory {state} ({AgentSetting.StateDirectory.Names}): {e.Message}");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
