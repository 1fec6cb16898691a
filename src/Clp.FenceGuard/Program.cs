using Clp.FenceGuard.Hosting;

// clp-fence-guard: the fence guard of one server (DESIGN rule 11), started by its clp-agent. Settings (exit 2),
// the one-guard lock (exit 3), then the socket until an agent asks it to exit (0). Test-host power off exits 72.
GuardSettings settings;
try
{
    settings = GuardSettings.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"clp-fence-guard: {e.Message}");
    return 2;
}

using var guardLock = GuardLock.TryAcquire(settings.LockPath);
if (guardLock is null)
{
    await Console.Error.WriteLineAsync($"clp-fence-guard: another fence guard already runs server {settings.Server} (lock {settings.LockPath})");
    return 3;
}

await using var guard = GuardProcess.Create(settings, TimeProvider.System, Console.Error);
return await guard.RunAsync();
