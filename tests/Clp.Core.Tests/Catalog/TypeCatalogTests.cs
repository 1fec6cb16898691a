using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clp.Core.Catalog;
using Clp.Core.Model;
using static Clp.Core.Tests.Catalog.CatalogJson;

namespace Clp.Core.Tests.Catalog;

/// <summary>The catalog's content and invariants, lookups and WithDefaults.</summary>
public sealed partial class TypeCatalogTests
{
    private static readonly TypeCatalog Catalog = TypeCatalog.Default;

    private static readonly string[] DomainResourceTypes =
    [
        "appli", "cifs", "ddns", "fip", "hd", "md", "nas", "regsync", "script", "sd", "service", "spool", "vcom",
        "vip", "vm", "awseip", "awsvip", "awsdns", "azurepp", "azuredns",
    ];

    private static readonly string[] DomainMonitorTypes =
    [
        "appliw", "cifsw", "db2w", "ddnsw", "diskw", "fipw", "ftpw", "genw", "hdw", "hdtw", "httpw", "imap4w", "ipw",
        "mdw", "mdnw", "miiw", "mtw", "nasw", "odbcw", "oraclew", "otxw", "pop3w", "psqlw", "regsyncw", "sdw",
        "servicew", "smtpw", "spoolw", "sqlserverw", "tuxw", "vcomw", "vipw", "wasw", "wlsw", "vmw", "mrw", "jraw",
        "sraw", "psrw", "psw", "userw", "awseipw", "awsvipw", "awsazw", "awsdnsw", "azureppw", "azurelbw",
        "azurednsw", "tcpw",
    ];

    private static IEnumerable<CatalogType> AllTypes => Catalog.ResourceTypes.Concat(Catalog.MonitorTypes);

    public static TheoryData<string, string?> LicenseOptionRows { get; } = new()
    {
        { "md", "Replicator" }, { "mdw", "Replicator" }, { "mdnw", "Replicator" },
        { "hd", "ReplicatorDr" }, { "hdw", "ReplicatorDr" }, { "hdtw", "ReplicatorDr" },
        { "psqlw", "DatabaseAgent" }, { "oraclew", "DatabaseAgent" }, { "sqlserverw", "DatabaseAgent" },
        { "odbcw", "DatabaseAgent" }, { "db2w", "DatabaseAgent" },
        { "httpw", "InternetServerAgent" }, { "ftpw", "InternetServerAgent" }, { "smtpw", "InternetServerAgent" },
        { "pop3w", "InternetServerAgent" }, { "imap4w", "InternetServerAgent" },
        { "wasw", "ApplicationServerAgent" }, { "wlsw", "ApplicationServerAgent" }, { "otxw", "ApplicationServerAgent" },
        { "tuxw", "ApplicationServerAgent" },
        { "jraw", "JavaResourceAgent" }, { "sraw", "SystemResourceAgent" }, { "psrw", "SystemResourceAgent" },
        { "mrw", null }, { "fip", null }, { "appli", null }, { "ipw", null }, { "tcpw", null }, { "userw", null },
    };

    /// <summary>Supported monitor type, its allowed timings (default first), and its target resource type.</summary>
    public static TheoryData<string, string, string?> SupportedMonitorRows { get; } = new()
    {
        { "fipw", "Active", "fip" }, { "appliw", "Active", "appli" }, { "servicew", "Active", "service" },
        { "sdw", "Active", "sd" },
        { "ipw", "Always", null }, { "miiw", "Always", null }, { "userw", "Always", null }, { "sraw", "Always", null },
        { "psw", "Always", null }, { "mrw", "Always", null },
        { "httpw", "Always,Active", null }, { "tcpw", "Always,Active", null }, { "genw", "Always,Active", null },
        { "diskw", "Always,Active", null }, { "psqlw", "Always,Active", null },
    };

    [Fact]
    public void ResourceTypes_Default_AreExactlyTheDomainTypes()
    {
        Assert.Equal(DomainResourceTypes.Order(StringComparer.Ordinal), Catalog.ResourceTypes.Select(t => t.Type));
        Assert.All(Catalog.ResourceTypes, t => Assert.Equal(TypeCategory.Resource, t.Category));
    }

    [Fact]
    public void MonitorTypes_Default_AreExactlyTheDomainTypesPlusTcpw()
    {
        Assert.Equal(DomainMonitorTypes.Order(StringComparer.Ordinal), Catalog.MonitorTypes.Select(t => t.Type));
        Assert.All(Catalog.MonitorTypes, t => Assert.Equal(TypeCategory.Monitor, t.Category));
    }

    [Fact]
    public void TypeIds_AllTypes_AreUniqueAndLowerCaseAlphanumeric()
    {
        var ids = AllTypes.Select(t => t.Type).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ids, id => Assert.Matches(TypeIdPattern(), id));
    }

    [Fact]
    public void Supported_Default_IsExactlyTheLinuxDriverSet()
    {
        Assert.Equal(["appli", "fip", "script", "sd", "service"], Catalog.ResourceTypes.Where(t => t.Supported).Select(t => t.Type));
        Assert.Equal(
            ["appliw", "diskw", "fipw", "genw", "httpw", "ipw", "miiw", "mrw", "psqlw", "psw", "sdw", "servicew", "sraw", "tcpw", "userw"],
            Catalog.MonitorTypes.Where(t => t.Supported).Select(t => t.Type));
    }

    [Fact]
    public void UnsupportedReason_EveryType_PresentExactlyWhenUnsupported()
    {
        Assert.All(AllTypes, t =>
        {
            if (t.Supported)
            {
                Assert.Null(t.UnsupportedReason);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(t.UnsupportedReason), t.Type);
            }
        });
    }

    [Theory]
    [InlineData("cifs")]
    [InlineData("regsync")]
    [InlineData("spool")]
    [InlineData("vcom")]
    [InlineData("cifsw")]
    [InlineData("regsyncw")]
    [InlineData("spoolw")]
    [InlineData("vcomw")]
    public void UnsupportedReason_WindowsOnlyType_MentionsWindows(string type) =>
        Assert.Contains("Windows", Type(type).UnsupportedReason, StringComparison.Ordinal);

    [Theory]
    [InlineData("md")]
    [InlineData("hd")]
    [InlineData("mdw")]
    [InlineData("mdnw")]
    [InlineData("hdw")]
    [InlineData("hdtw")]
    public void UnsupportedReason_ReplicationType_SaysReplicationIsNotImplemented(string type) =>
        Assert.Equal("mirror/hybrid disk replication is not implemented by CLP yet", Type(type).UnsupportedReason);

    [Fact]
    public void UnsupportedReason_CloudTypes_SayTheProviderApiIsUnavailable()
    {
        var cloud = AllTypes.Where(t => t.Type.StartsWith("aws", StringComparison.Ordinal) || t.Type.StartsWith("azure", StringComparison.Ordinal)).ToList();

        Assert.Equal(12, cloud.Count);
        Assert.All(cloud, t => Assert.Equal("needs the cloud provider's API, not available to CLP on this platform", t.UnsupportedReason));
    }

    [Theory]
    [InlineData("db2w")]
    [InlineData("oraclew")]
    [InlineData("sqlserverw")]
    [InlineData("odbcw")]
    [InlineData("otxw")]
    [InlineData("tuxw")]
    [InlineData("wasw")]
    [InlineData("wlsw")]
    [InlineData("jraw")]
    [InlineData("ftpw")]
    [InlineData("imap4w")]
    [InlineData("pop3w")]
    [InlineData("smtpw")]
    [InlineData("mtw")]
    [InlineData("psrw")]
    [InlineData("ddns")]
    [InlineData("vip")]
    [InlineData("vm")]
    [InlineData("nas")]
    public void UnsupportedReason_TypeWithoutDriver_SaysSo(string type) =>
        Assert.StartsWith("no driver in CLP yet", Type(type).UnsupportedReason, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(LicenseOptionRows))]
    public void LicenseOption_Type_IsTheDomainOption(string type, string? option) =>
        Assert.Equal(option, Type(type).LicenseOption);

    [Fact]
    public void LicenseOption_EveryType_IsNullOrAKnownOption() =>
        Assert.All(AllTypes, t => Assert.True(t.LicenseOption is null || LicenseOptions.All.Contains(t.LicenseOption), t.Type));

    [Fact]
    public void MirrorDisk_ResourceTypes_IsTrueForMdAndHdOnly() =>
        Assert.Equal(["hd", "md"], AllTypes.Where(t => t.MirrorDisk).Select(t => t.Type));

    [Fact]
    public void AutoMonitors_ResourceTypes_AreTheDomainOnes()
    {
        var auto = Catalog.ResourceTypes.Where(t => t.AutoMonitors.Count > 0)
            .ToDictionary(t => t.Type, t => string.Join(",", t.AutoMonitors.Select(a => a.MonitorType)));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["appli"] = "appliw", ["fip"] = "fipw", ["hd"] = "hdw,hdtw", ["md"] = "mdw,mdnw", ["sd"] = "sdw",
                ["service"] = "servicew",
            },
            auto);
        Assert.Equal("resident", Type("appli").AutoMonitors[0].OnlyWhenTrue);
    }

    [Theory]
    [MemberData(nameof(SupportedMonitorRows))]
    public void Timings_SupportedMonitor_AreTheDesignedOnes(string type, string timings, string? target)
    {
        var monitor = Type(type);

        Assert.Equal(timings, string.Join(",", monitor.Timings));
        Assert.Equal(monitor.Timings[0], monitor.DefaultTiming);
        Assert.Equal(target is not null, monitor.RequiresTarget);
        Assert.Equal(target is null ? [] : [target], monitor.TargetResourceTypes);
    }

    [Fact]
    public void Timings_EveryMonitor_NonEmptyWithDefaultAmongThemAndActiveOnlyRequiresTarget() =>
        Assert.All(Catalog.MonitorTypes, t =>
        {
            Assert.NotEmpty(t.Timings);
            Assert.Contains(t.DefaultTiming!.Value, t.Timings);
            Assert.True(t.RequiresTarget || t.Timings.Contains(MonitorTiming.Always), t.Type);
            Assert.All(t.TargetResourceTypes, r => Assert.NotNull(Catalog.FindResourceType(r)));
            Assert.Empty(t.AutoMonitors);
        });

    [Fact]
    public void Timings_EveryResource_EmptyWithoutTarget() =>
        Assert.All(Catalog.ResourceTypes, t =>
        {
            Assert.Empty(t.Timings);
            Assert.Null(t.DefaultTiming);
            Assert.False(t.RequiresTarget);
            Assert.Empty(t.TargetResourceTypes);
        });

    [Fact]
    public void Parameters_EveryType_NamesCamelCaseAndUnique() =>
        Assert.All(AllTypes, t =>
        {
            Assert.All(t.Parameters, p => Assert.Matches(ParameterNamePattern(), p.Name));
            Assert.Equal(t.Parameters.Count, t.Parameters.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(t.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{t.Type}.{p.Name}"));
        });

    [Fact]
    public void Parameters_EveryDefault_ValidatesAgainstItsOwnSchema()
    {
        var withDefaults = AllTypes.SelectMany(t => t.Parameters.Where(p => p.Default is not null).Select(p => (t, p))).ToList();

        Assert.NotEmpty(withDefaults);
        Assert.All(withDefaults, pair =>
        {
            var (type, parameter) = pair;
            var alone = new CatalogType("alone", TypeCategory.Resource, "", "", true, null, null, [], null, false, [], [parameter], [], false);
            Assert.False(parameter.Required, $"{type.Type}.{parameter.Name}");
            Assert.Empty(Catalog.ValidateParameters(alone, new JsonObject { [parameter.Name] = parameter.Default!.DeepClone() }));
        });
    }

    [Fact]
    public void Parameters_EnumsAndRequired_HaveValuesAndNoDefault() =>
        Assert.All(AllTypes.SelectMany(t => t.Parameters), p =>
        {
            Assert.True(p.Type != ParameterType.Enum || p.Values is { Count: > 0 }, p.Name);
            Assert.True(!p.Required || p.Default is null, p.Name);
        });

    [Theory]
    [InlineData("FIP")]
    [InlineData("Fip")]
    [InlineData("fipw")]
    [InlineData("")]
    public void FindResourceType_NotAnExactResourceId_ReturnsNull(string type) =>
        Assert.Null(Catalog.FindResourceType(type));

    [Theory]
    [InlineData("IPW")]
    [InlineData("fip")]
    [InlineData("ipw ")]
    public void FindMonitorType_NotAnExactMonitorId_ReturnsNull(string type) =>
        Assert.Null(Catalog.FindMonitorType(type));

    [Fact]
    public void FindType_ExactIds_ReturnTheEntry()
    {
        Assert.Equal("fip", Catalog.FindResourceType("fip")?.Type);
        Assert.Equal("tcpw", Catalog.FindMonitorType("tcpw")?.Type);
    }

    [Fact]
    public void WithDefaults_MissingOptionalParameters_FillsTheirDefaults()
    {
        var result = Catalog.WithDefaults(Type("fip"), Obj("{'ip':'10.231.1.10'}"));

        Assert.True(JsonNode.DeepEquals(
            Obj("{'ip':'10.231.1.10','arpCount':1,'conflictCheck':true,'conflictCheckTimeoutMs':100}"), result));
    }

    [Fact]
    public void WithDefaults_GivenValues_KeptIncludingUnknownOnes()
    {
        var given = Obj("{'startCommand':'x','stopGraceSeconds':30,'resident':false,'extra':[1]}");

        var result = Catalog.WithDefaults(Type("appli"), given);

        Assert.True(JsonNode.DeepEquals(
            Obj("{'startCommand':'x','stopGraceSeconds':30,'resident':false,'extra':[1],'stopSignal':'SIGTERM'}"), result));
    }

    [Fact]
    public void WithDefaults_Result_IsIndependentOfInputAndSchema()
    {
        var given = Obj("{'targets':['10.231.1.1']}");
        var type = Type("sraw");

        var first = Catalog.WithDefaults(Type("ipw"), given);
        first["targets"]!.AsArray().Add("10.231.1.2");
        var defaults = Catalog.WithDefaults(type, null);
        defaults["diskPath"] = "/changed";

        Assert.Equal("{\"targets\":[\"10.231.1.1\"]}", given.ToJsonString());
        Assert.Equal("/", type.FindParameter("diskPath")!.Default!.GetValue<string>());
        Assert.Equal("/", Catalog.WithDefaults(type, null)["diskPath"]!.GetValue<string>());
    }

    [Fact]
    public void WithDefaults_NullParameters_ReturnsDefaultsOnly() =>
        Assert.True(JsonNode.DeepEquals(Obj("{'method':'timer','stallThresholdSeconds':10}"), Catalog.WithDefaults(Type("userw"), null)));

    [Fact]
    public void Serialize_CatalogWithClpJson_PublishesSchemaButNotInternalRules()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Catalog.ResourceTypes, Clp.Core.Json.ClpJson.Options);

        Assert.Contains("\"type\":\"fip\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"arpCount\",\"type\":\"Integer\"", json, StringComparison.Ordinal);
        Assert.Contains("\"onlyWhenTrue\":\"resident\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"rules\"", json, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z0-9]+$")]
    private static partial Regex TypeIdPattern();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex ParameterNamePattern();
}
