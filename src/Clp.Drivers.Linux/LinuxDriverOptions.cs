using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clp.Drivers.Linux;

/// <summary>What the Linux drivers and probes share: the clock, logging, and a folder of their own for
/// state that must survive an agent restart (pid files of supervised processes, heartbeat files).</summary>
public sealed class LinuxDriverOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Checked right before every command that takes a resource (see <see cref="Shell.LeaseGate"/>).</summary>
    /// <value>Default <see cref="Shell.LeaseGate.Open"/>: never refuses.</value>
    public Shell.LeaseGate Gate { get; init; } = Shell.LeaseGate.Open;

    /// <summary>The agent's state folder for this server (created when missing).</summary>
    public required string StateDirectory { get; init; }
}
