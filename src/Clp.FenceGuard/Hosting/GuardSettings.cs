namespace Clp.FenceGuard.Hosting;

/// <summary>clp-fence-guard's settings, from its command line (the agent starts it; an operator rarely does).</summary>
/// <remarks><c>--state-dir DIR --cluster NAME --server NAME [--system-actions linux|test-host]
/// [--test-host-power-file FILE]</c>. The socket and the lock live in the agent's state folder.</remarks>
public sealed record GuardSettings(string StateDirectory, string Cluster, string Server, bool TestHost, string? PowerFile)
{
    public const string SocketName = "fence-guard.sock";
    public const string LockName = "fence-guard.lock";
    public const string LogName = "fence-guard.log";

    public string SocketPath => Path.Combine(StateDirectory, SocketName);

    public string LockPath => Path.Combine(StateDirectory, LockName);

    /// <exception cref="ArgumentException">A missing or unknown option (the message is printed, exit 2).</exception>
    public static GuardSettings Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is not ("--state-dir" or "--cluster" or "--server" or "--system-actions" or "--test-host-power-file"))
            {
                throw new ArgumentException($"unknown option '{name}'");
            }

            values[name] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {name} needs a value");
        }

        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"missing option {name}");
        var actions = values.GetValueOrDefault("--system-actions", "linux");
        if (actions is not ("linux" or "test-host"))
        {
            throw new ArgumentException($"invalid --system-actions '{actions}': 'linux' or 'test-host'");
        }

        var power = values.GetValueOrDefault("--test-host-power-file");
        if (actions == "test-host" && string.IsNullOrEmpty(power))
        {
            throw new ArgumentException("--system-actions test-host needs --test-host-power-file");
        }

        if (actions == "linux" && !string.IsNullOrEmpty(power))
        {
            throw new ArgumentException("--test-host-power-file is set, so this is a test: pass --system-actions test-host");
        }

        return new GuardSettings(Path.GetFullPath(Required("--state-dir")), Required("--cluster"), Required("--server"), actions == "test-host", power is null ? null : Path.GetFullPath(power));
    }
}
