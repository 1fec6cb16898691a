using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Clp.FenceGuard.Guarding;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;

namespace Clp.FenceGuard.Hosting;

/// <summary>Serves the guard's Unix socket (<c>{state}/fence-guard.sock</c>, mode 0600): one JSON request per line,
/// one JSON reply per line, any number of connections (the agent's, an operator's or a test's status query).</summary>
/// <remarks>A closed connection changes nothing: an agent that dies leaves its deadline armed, which is the point.
/// The socket is bound under a temporary name, made 0600, then renamed into place, so it is never reachable with
/// a wider mode (the state folder is 0700 as well).</remarks>
public sealed partial class GuardServer(GuardSettings settings, DeadlineGuard guard, ILogger logger) : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _exit = new();
    private volatile bool _exitAsked;

    /// <summary>Cancelled when an agent asked the guard to exit.</summary>
    public CancellationToken ExitRequested => _exit.Token;

    public void Listen()
    {
        var temporary = settings.SocketPath + $".{Environment.ProcessId}.tmp";
        File.Delete(temporary);
        _listener.Bind(new UnixDomainSocketEndPoint(temporary));
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(8);
        File.Move(temporary, settings.SocketPath, overwrite: true);
    }

    /// <summary>Runs the request path once before the socket is reachable, changing nothing: parses a representative
    /// arm (a group, a resource, JSON parameters) and answers a status. The agent's first arm carries the tightest
    /// deadline of its incarnation; it must not also pay for loading and compiling the JSON path.</summary>
    /// <remarks>Never by arming: a guard is started while the lock may still be contended, and an arm is state.</remarks>
    public void Prime()
    {
        var arm = JsonSerializer.Deserialize(PrimeArm, GuardJson.Default.GuardRequest)
                  ?? throw new InvalidOperationException("the guard's own sample arm did not parse");
        if (arm.Groups is not [{ Resources: [{ Parameters: not null }] }])
        {
            throw new InvalidOperationException("the guard's own sample arm parsed without its resource");
        }

        _ = JsonSerializer.Serialize(Handle("""{"op":"status"}"""), GuardJson.Default.GuardReply);
    }

    private const string PrimeArm =
        """{"op":"arm","incarnation":1,"fenceAtTicks":1,"budgetTicks":1,"timeoutTicks":1,"agentPid":1,"groups":[{"name":"g","resources":[{"name":"r","type":"fip","parameters":{"ip":"10.231.0.1","prefix":24},"stopTimeoutSeconds":1,"epoch":1}]}]}""";

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(cancellationToken);
            _ = Task.Run(() => ConnectionAsync(connection, cancellationToken), cancellationToken);
        }
    }

    private async Task ConnectionAsync(Socket connection, CancellationToken cancellationToken)
    {
        using var _ = connection;
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var reply = Handle(line);
                await writer.WriteLineAsync(JsonSerializer.Serialize(reply, GuardJson.Default.GuardReply));
                if (_exitAsked)
                {
                    // Only after the reply is written: the agent waits for it before it exits itself.
                    await _exit.CancelAsync();
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The peer went away (an agent killed mid-request): its last armed deadline stands.
        }
    }

    internal GuardReply Handle(string line)
    {
        GuardRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line, GuardJson.Default.GuardRequest);
        }
        catch (JsonException e)
        {
            return Refused($"not a request: {e.Message}");
        }

        switch (request?.Op)
        {
            case GuardOps.Arm when request is { Incarnation: { } incarnation, FenceAtTicks: { } fenceAt, BudgetTicks: { } budget, TimeoutTicks: { } timeout }:
                try
                {
                    var reply = guard.Arm(incarnation, new Instant(fenceAt), TimeSpan.FromTicks(budget), TimeSpan.FromTicks(timeout), request.Groups);
                    if (request.Groups is not null)
                    {
                        LogResources(incarnation, request.AgentPid ?? 0, request.Groups.Sum(g => g.Resources.Count), request.Groups.Count);
                    }

                    return reply;
                }
                catch (InvalidOperationException e)
                {
                    return Refused(e.Message);
                }

            case GuardOps.Arm:
                return Refused("arm needs incarnation, fenceAtTicks, budgetTicks and timeoutTicks");
            case GuardOps.Disarm:
                return guard.Disarm(request.Reason ?? "disarmed by the agent");
            case GuardOps.Status:
                return guard.Status();
            case GuardOps.Exit:
                var last = guard.Disarm(request.Reason ?? "the agent left");
                LogExit(request.AgentPid ?? 0, request.Reason ?? "");
                _exitAsked = true;
                return last;
            default:
                return Refused($"unknown op '{request?.Op}'");
        }
    }

    private GuardReply Refused(string error) => guard.Status() with { Ok = false, Error = error };

    public void Dispose()
    {
        _listener.Dispose();
        _exit.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Armed for incarnation {Incarnation} by agent {AgentPid}: {Resources} resources in {Groups} groups to release at its deadline")]
    private partial void LogResources(long incarnation, int agentPid, int resources, int groups);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exit asked by agent {AgentPid} ({Reason}): disarmed, the guard ends")]
    private partial void LogExit(int agentPid, string reason);
}
