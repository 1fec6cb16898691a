using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Agent.Host.Guard;
using Clp.FenceGuard.Protocol;
using Clp.Policy.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Agent.Host.Tests;

/// <summary><see cref="FenceGuardLink"/> against a guard socket the test serves itself (a real Unix socket, no guard
/// process): <see cref="FenceGuardLink.Ready"/> means a status round trip, never an arm or a disarm, and a guard that
/// does not answer it still lets the agent join, the first arm going on a new connection.</summary>
public sealed class FenceGuardLinkTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly string _state = Directory.CreateTempSubdirectory("clp-link-").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public FenceGuardLinkTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(Launch.SocketPath));
        _listener.Listen(4);
    }

    private GuardLaunch Launch => new(_state, "c1", "s1", null);

    [Fact]
    public async Task Ready_CompletesOnlyAfterTheGuardAnsweredAStatus_AndNothingWasArmedOrDisarmed()
    {
        // A fake clock that never moves: the status request cannot time out, only the answer completes Ready.
        await using var link = new FenceGuardLink(Launch, new FakeTimeProvider(), NullLogger.Instance);
        link.Start();
        using var guard = await AcceptAsync();

        var first = await guard.ReadAsync();
        Assert.Equal(GuardOps.Status, first.Op);
        Assert.Null(first.Incarnation);
        Assert.Null(first.FenceAtTicks);

        // Connected and asked, not answered: the agent must not join yet.
        Assert.False(link.Ready.IsCompleted, "Ready completed before the guard answered its status request");

        await guard.AnswerAsync(new GuardReply { Ok = true, State = "Armed", GuardPid = 4242, ArmedIncarnation = 7, ActAtTicks = 1 });
        await link.Ready.WaitAsync(Bound);
        Assert.Equal(4242, link.GuardPid);

        // The first arm goes on the same, now warm, connection.
        link.Arm(8, new Instant(123), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(3), [Group()]);
        var arm = await guard.ReadAsync();
        Assert.Equal((GuardOps.Arm, 8L, 123L), (arm.Op, arm.Incarnation!.Value, arm.FenceAtTicks!.Value));
        Assert.NotNull(arm.Groups);
    }

    [Fact]
    public async Task Ready_WhenTheGuardNeverAnswersTheStatus_CompletesAtTheRequestTimeout_AndTheFirstArmGoesOnANewConnection()
    {
        var time = new FakeTimeProvider();
        await using var link = new FenceGuardLink(Launch, time, NullLogger.Instance);
        link.Start();
        using var mute = await AcceptAsync();
        Assert.Equal(GuardOps.Status, (await mute.ReadAsync()).Op);
        Assert.False(link.Ready.IsCompleted);

        // The request's timeout runs on the link's clock (created before the request was written, so it exists now).
        time.Advance(TimeSpan.FromSeconds(5));
        await link.Ready.WaitAsync(Bound);

        link.Arm(3, new Instant(99), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(3), [Group()]);

        // The link dropped the mute connection: the arm goes on a new one, with the resource list.
        using var second = await AcceptAsync();
        var arm = await second.ReadAsync();
        Assert.Equal((GuardOps.Arm, 3L), (arm.Op, arm.Incarnation!.Value));
        Assert.NotNull(arm.Groups);
    }

    private static GuardGroup Group() =>
        new() { Name = "g1", Resources = [new GuardResource { Name = "fip1", Type = "fip", Parameters = new JsonObject { ["ip"] = "10.231.0.9" }, StopTimeoutSeconds = 5 }] };

    private async Task<Peer> AcceptAsync()
    {
        try
        {
            return new Peer(await _listener.AcceptAsync().WaitAsync(Bound));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the link did not connect within {Bound.TotalSeconds} s");
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    /// <summary>The test's side of one connection: reads request lines, writes reply lines.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Socket _socket;
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        public Peer(Socket socket)
        {
            _socket = socket;
            var stream = new NetworkStream(socket, ownsSocket: false);
            _reader = new StreamReader(stream, Encoding.UTF8);
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        }

        public async Task<GuardRequest> ReadAsync()
        {
            var line = await _reader.ReadLineAsync().WaitAsync(Bound) ?? throw new Xunit.Sdk.XunitException("the link closed the connection");
            return JsonSerializer.Deserialize(line, GuardJson.Default.GuardRequest)!;
        }

        public Task AnswerAsync(GuardReply reply) => _writer.WriteLineAsync(JsonSerializer.Serialize(reply, GuardJson.Default.GuardReply));

        public void Dispose()
        {
            _writer.Dispose();
            _reader.Dispose();
            _socket.Dispose();
        }
    }
}
