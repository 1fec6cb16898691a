namespace Clp.Controller.Tests;

/// <summary>STYLE 36: the controller's series are served at /metrics from the start.</summary>
[Trait("Category", "Component")]
public sealed class MetricsTests : IDisposable
{
    private readonly ControllerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Metrics_ArePreInitialised()
    {
        _ = _factory.Controller;
        var text = await _factory.Client(null).GetStringAsync("/metrics");
        foreach (var series in new[]
        {
            "clp_controller_reconcile_total{result=\"success\"}", "clp_controller_reconcile_total{result=\"error\"}",
            "clp_controller_reconcile_total{result=\"leadership_lost\"}", "clp_failovers_total", "clp_controller_down_judgements_total",
            "clp_controller_leader",
        })
        {
            Assert.Contains(series, text);
        }
    }
}
