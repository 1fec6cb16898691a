using System.Net.Http.Headers;
using Clp.Core.Store;
using Clp.Core.Time;
using Clp.Policy.Time;
using Clp.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Clp.Controller.Tests;

/// <summary>clp-api in-process with its controller running on a <see cref="FakeTimeProvider"/> (the
/// keyed controller clock; everything else keeps the real clock). The test is the clock's only driver.</summary>
internal sealed class ControllerFactory : InProcessApi
{

    /// <param name="dataDirectory">Another factory's data directory, to restart clp-api over the same
    /// store (stop that one with <see cref="InProcessApi.StopKeepingData"/>; this one deletes the directory).</param>
    public ControllerFactory(string? dataDirectory = null)
        : base(dataDirectory)
    {
    }

    /// <summary>The controller's clock; starts at 2000-01-01.</summary>
    public FakeTimeProvider Clock { get; } = new();

    public Instant Now => Instant.FromTimestamp(Clock.GetTimestamp(), Clock.TimestampFrequency);

    public ControllerService Controller => Services.GetRequiredService<ControllerService>();

    public IResourceStore Store => Services.GetRequiredService<IResourceStore>();

    protected override bool ControllerEnabled => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(ClpClocks.Controller, Clock));
    }

    /// <summary>The largest single step of <see cref="AdvanceAsync"/>: the controller's stall threshold. A
    /// larger jump of its clock is, to the controller, a stall of its own process (tested on purpose).</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromMilliseconds(500);

    /// <summary>Advances the controller's clock by <paramref name="total"/> in steps of at most
    /// <see cref="MaxStep"/>; after each step every agent in <paramref name="renewing"/> renews once
    /// a heartbeat interval (1 s) has passed since its last renewal.</summary>
    public async Task AdvanceAsync(TimeSpan total, params FakeAgent[] renewing)
    {
        var last = renewing.ToDictionary(a => a, _ => Now);
        var left = total;
        while (left > TimeSpan.Zero)
        {
            var step = left < MaxStep ? left : MaxStep;
            Clock.Advance(step);
            left -= step;
            foreach (var agent in renewing.Where(a => Now - last[a] >= TimeSpan.FromSeconds(1)))
            {
                await agent.RenewAsync();
                last[agent] = Now;
            }
        }
    }


    /// <summary>Waits (bounded, no polling) until <paramref name="condition"/> holds after a reconcile.</summary>
    public async Task WaitForControllerAsync(Func<bool> condition, string what) => await WaitForControllerAsync(condition, () => what);

    public async Task WaitForControllerAsync(Func<bool> condition, Func<string> what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string cluster, int writes)
        {
            if (condition())
            {
                done.TrySetResult();
            }
        }

        Controller.Reconciled += Check;
        try
        {
            if (condition())
            {
                return;
            }

            await done.Task.WaitAsync(StoreWaiter.Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {StoreWaiter.Bound.TotalSeconds} s for the controller: {what()}");
        }
        finally
        {
            Controller.Reconciled -= Check;
        }
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
