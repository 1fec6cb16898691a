// Runs the real Linux drivers and probes inside whatever namespace it was started in (tests start it with
// `ip netns exec NS`), one request per stdin line, one JSON answer per stdout line:
//   {"op":"activate|deactivate|probe","type":"fip","resource":"fip1","group":"g","params":{...}}
//   {"op":"monitor","type":"ipw","monitor":"ipw1","params":{...},"target":"fip1","targetParams":{...}}
// answers {"ok":true,"healthy":true|false,"message":"..."} or {"ok":false,"error":"..."}.
// A line "quit" (or the end of stdin) ends it.
using System.Text.Json;
using System.Text.Json.Nodes;
using Clp.Core.Drivers;
using Clp.Drivers.Linux;

var state = args.Length > 0 ? args[0] : Directory.CreateTempSubdirectory("clp-runner-").FullName;
var options = new LinuxDriverOptions { StateDirectory = state };
var drivers = LinuxDrivers.ResourceDrivers(options);
var probes = LinuxDrivers.MonitorProbes(options);
Console.Out.WriteLine(JsonSerializer.Serialize(new { ok = true, ready = true, drivers = drivers.Keys, probes = probes.Keys }));
Console.Out.Flush();

string? line;
while ((line = Console.In.ReadLine()) is not null && line != "quit")
{
    JsonObject answer;
    try
    {
        var request = JsonNode.Parse(line)!.AsObject();
        var op = (string)request["op"]!;
        var type = (string)request["type"]!;
        var parameters = request["params"]?.DeepClone().AsObject() ?? [];
        var timeout = TimeSpan.FromMilliseconds((double?)request["timeoutMs"] ?? 60_000);
        using var cts = new CancellationTokenSource(timeout);
        if (op == "monitor")
        {
            var context = new MonitorContext("c", "s", (string?)request["monitor"] ?? type, type, parameters,
                (string?)request["target"], request["targetParams"]?.DeepClone().AsObject());
            var result = await probes[type].ProbeAsync(context, cts.Token);
            answer = new JsonObject { ["ok"] = true, ["healthy"] = result.Healthy, ["message"] = result.Message };
        }
        else
        {
            var reason = Enum.TryParse<GroupEvent>((string?)request["reason"] ?? "Start", true, out var r) ? r : GroupEvent.Start;
            var context = new ResourceContext("c", "s", (string?)request["group"] ?? "g", (string?)request["resource"] ?? type, type, parameters, reason, 1);
            var driver = drivers[type];
            switch (op)
            {
                case "activate":
                    await driver.ActivateAsync(context, cts.Token);
                    answer = new JsonObject { ["ok"] = true };
                    break;
                case "deactivate":
                    await driver.DeactivateAsync(context, cts.Token);
                    answer = new JsonObject { ["ok"] = true };
                    break;
                default:
                    var result = await driver.ProbeAsync(context, cts.Token);
                    answer = new JsonObject { ["ok"] = true, ["healthy"] = result.Healthy, ["message"] = result.Message };
                    break;
            }
        }
    }
    catch (Exception e)
    {
        answer = new JsonObject { ["ok"] = false, ["error"] = e.Message, ["exception"] = e.GetType().Name };
    }

    Console.Out.WriteLine(answer.ToJsonString());
    Console.Out.Flush();
}
