namespace Clp.Controller.Options;

/// <summary>Settings of the controller hosted in clp-api (configuration section <c>Controller</c>).</summary>
public sealed class ControllerOptions
{
    public const string Section = "Controller";

    /// <summary>Whether this process runs the controller. A process without it still serves the lease
    /// protocol (renewals are recorded), but nobody places groups or judges servers down.</summary>
    /// <value>Default true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>This instance's name in the leader lease; unique per process.</summary>
    /// <value>Default: machine name, process id and a random suffix.</value>
    public string Identity { get; set; } =
        $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";

    /// <summary>How long a standby waits without seeing the leader lease change before it takes over
    /// (measured on its own clock). A leader that stops gracefully releases the lease, so a restart
    /// takes over at once; after a crash the successor waits this long.</summary>
    /// <value>Default 15 s.</value>
    public TimeSpan LeaderLeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the leader renews its lease; a leader that cannot renew for
    /// <see cref="LeaderLeaseDuration"/> steps down.</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan LeaderRenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of the controller's own stall check (a timer whose lateness reveals a paused
    /// process).</summary>
    /// <value>Default 100 ms.</value>
    public TimeSpan StallCheckInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Lateness of the stall check beyond its period that counts as a stall of the controller
    /// itself: every lease then gets a fresh T + M (DESIGN rule 5). It must stay below
    /// T + M − I of the fastest cluster (about 860 ms at T = 1 s).</summary>
    /// <value>Default 500 ms.</value>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First retry delay of a cluster whose reconcile failed; doubled per failure, with
    /// jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>Default 100 ms.</value>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The cap of the retry delay.</summary>
    /// <value>Default 30 s.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
