using Clp.Core.Security;
using Clp.Core.Store;

namespace Clp.Api.Auth;

/// <summary>Makes sure an admin can get in on a first run: <c>CLP_BOOTSTRAP_ADMIN_KEY</c> (16+ characters)
/// becomes the system admin key; without it, a first run generates one, stores only its hash, and shows
/// it once: in the log and in <c>bootstrap-admin.key</c> (mode 0600) in the data directory.</summary>
public sealed partial class BootstrapAdminKey(IResourceStore store, IConfiguration configuration, ILogger<BootstrapAdminKey> logger)
{
    public const string Variable = "CLP_BOOTSTRAP_ADMIN_KEY";
    public const string FileName = "bootstrap-admin.key";
    public const int MinLength = 16;

    public async Task EnsureAsync(string dataDirectory, CancellationToken ct)
    {
        var configured = configuration[Variable];
        if (!string.IsNullOrEmpty(configured))
        {
            if (configured.Length < MinLength)
            {
                throw new InvalidOperationException($"{Variable} must be at least {MinLength} characters (it has {configured.Length})");
            }

            await SystemKeys.SetAsync(store, SystemKeys.BootstrapName, configured, ct);
            LogConfigured(Variable);
            return;
        }

        if (await SystemKeys.ExistsAsync(store, ct))
        {
            return;
        }

        var key = ApiKeyTokens.NewSecret();
        await SystemKeys.SetAsync(store, SystemKeys.BootstrapName, key, ct);
        var path = Path.Combine(dataDirectory, FileName);
        // Created empty and made owner-only before the key is written, so it is never readable by others.
        await File.WriteAllBytesAsync(path, [], ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(path, key + Environment.NewLine, ct);
        LogGenerated(key, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "System admin key set from {Variable}")]
    private partial void LogConfigured(string variable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "First run: generated the admin API key {Key} (shown once; also in {Path}, readable by its owner only). Send it as 'Authorization: Bearer <key>'.")]
    private partial void LogGenerated(string key, string path);
}
