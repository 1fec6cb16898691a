using System.Text.Json.Nodes;
using Clp.Core.Catalog;
using static Clp.Core.Tests.Catalog.CatalogJson;

namespace Clp.Core.Tests.Catalog;

/// <summary>ValidateParameters, table-driven: per supported type, valid sets and one invalid set per rule kind.</summary>
public sealed class TypeCatalogParameterTests
{
    private const string Prefix = "spec.parameters";

    private static readonly string SeventeenTargets =
        "[" + string.Join(",", Enumerable.Range(1, 17).Select(i => $"'10.231.1.{i}'")) + "]";

    private static readonly string SixteenTargets =
        "[" + string.Join(",", Enumerable.Range(1, 16).Select(i => $"'10.231.1.{i}'")) + "]";

    private static readonly string TooManyVariables =
        "{" + string.Join(",", Enumerable.Range(1, 257).Select(i => $"'V{i}':'x'")) + "}";

    /// <summary>Type-specific rules each supported type has beyond what its schema implies.</summary>
    private static readonly Dictionary<string, string[]> TypeRules = new()
    {
        ["appli"] = ["required-when-non-resident", "environment-variable-name", "user-name"],
        ["service"] = ["systemd-unit-name"],
        ["sd"] = ["mount-point"],
        ["fip"] = ["unicast-address", "interface-name"],
        ["miiw"] = ["interface-name"],
    };

    public static TheoryData<string, string> ValidSets { get; } = new()
    {
        { "appli", "{'startCommand':'/usr/bin/app --serve'}" },
        { "appli", "{'resident':false,'startCommand':'/opt/app/start.sh','stopCommand':'/opt/app/stop.sh','workingDirectory':'/opt/app','environment':{'APP_MODE':'ha','_X1':'y'},'user':'app','stopSignal':'SIGINT','stopGraceSeconds':0}" },
        { "appli", "{'startCommand':'sleep infinity','user':'1000','stopGraceSeconds':3600}" },
        { "script", "{'startScript':'/opt/start.sh'}" },
        { "script", "{'startScript':'echo start','stopScript':'echo stop','timeoutSeconds':86400}" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt/data'}" },
        { "sd", "{'device':'/dev/disk/by-uuid/1234','mountPoint':'/srv/db','fsType':'xfs','mountOptions':'noatime','fsck':false,'fsckTimeoutSeconds':1}" },
        { "service", "{'unit':'nginx.service'}" },
        { "service", "{'unit':'getty@tty1.service'}" },
        { "service", "{'unit':'multi-user.target'}" },
        { "fip", "{'ip':'10.231.1.10'}" },
        { "fip", "{'ip':'fd00::10','interface':'eth0','arpCount':0,'conflictCheck':false,'conflictCheckTimeoutMs':1000}" },
        { "ipw", "{'targets':['10.231.1.1']}" },
        { "ipw", "{'targets':" + SixteenTargets + "}" },
        { "httpw", "{'url':'http://10.231.1.5:8080/health'}" },
        { "httpw", "{'url':'https://app.test/','method':'HEAD','expectedStatus':204,'verifyTls':false}" },
        { "tcpw", "{'host':'10.231.1.5','port':5432}" },
        { "tcpw", "{'host':'fd00::5','port':65535}" },
        { "fipw", "{}" },
        { "appliw", "{}" },
        { "sdw", "{}" },
        { "servicew", "{}" },
        { "psw", "{'processName':'nginx'}" },
        { "psw", "{'processName':'nginx','minCount':10000}" },
        { "genw", "{'script':'/usr/local/bin/check'}" },
        { "genw", "{'script':'test -f /run/app.pid','okExitCode':255}" },
        { "diskw", "{'path':'/var/lib/clp/diskw'}" },
        { "diskw", "{'path':'/tmp/x','sizeBytes':512,'fsync':false}" },
        { "miiw", "{'interface':'eth0'}" },
        { "miiw", "{'interface':'enp0s31f6.100'}" },
        { "userw", "{}" },
        { "userw", "{'method':'none','stallThresholdSeconds':3600}" },
        { "sraw", "{}" },
        { "sraw", "{'cpuPercent':1,'memoryPercent':100,'diskPercent':50,'diskPath':'/var','windowSeconds':10}" },
        { "mrw", "{'category':'nm'}" },
        { "mrw", "{'category':'nm','keyword':'db1'}" },
        { "psqlw", "{'host':'10.231.1.5','database':'app','user':'clp'}" },
        { "psqlw", "{'host':'/var/run/postgresql','port':6432,'database':'app','user':'clp','passwordFile':'/etc/clp/pgpass','query':'SELECT count(*) FROM t'}" },
    };

    /// <summary>Type, parameters, field (under spec.parameters) and the one rule expected.</summary>
    public static TheoryData<string, string, string, string> InvalidSets { get; } = new()
    {
        { "appli", "{'startCommand':'x','bogus':1}", "bogus", "unknown-parameter" },
        { "appli", "{}", "startCommand", "required" },
        { "appli", "{'startCommand':'  '}", "startCommand", "required" },
        { "appli", "{'startCommand':42}", "startCommand", "type" },
        { "appli", "{'startCommand':'x','resident':'yes'}", "resident", "type" },
        { "appli", "{'startCommand':'x','user':null}", "user", "type" },
        { "appli", "{'startCommand':'x','workingDirectory':'relative/dir'}", "workingDirectory", "path" },
        { "appli", "{'startCommand':'x','stopSignal':'SIGKILL'}", "stopSignal", "enum" },
        { "appli", "{'startCommand':'x','stopSignal':'sigterm'}", "stopSignal", "enum" },
        { "appli", "{'startCommand':'x','stopGraceSeconds':3601}", "stopGraceSeconds", "range" },
        { "appli", "{'startCommand':'x','stopGraceSeconds':-1}", "stopGraceSeconds", "range" },
        { "appli", "{'startCommand':'x','stopGraceSeconds':1.5}", "stopGraceSeconds", "type" },
        { "appli", "{'startCommand':'x','environment':{'A':1}}", "environment.A", "type" },
        { "appli", "{'startCommand':'x','environment':['A=1']}", "environment", "type" },
        { "appli", "{'startCommand':'x','environment':" + TooManyVariables + "}", "environment", "range" },
        { "appli", "{'startCommand':'x','environment':{'1BAD':'v'}}", "environment.1BAD", "environment-variable-name" },
        { "appli", "{'startCommand':'x','user':'Root User'}", "user", "user-name" },
        { "appli", "{'resident':false,'startCommand':'x'}", "stopCommand", "required-when-non-resident" },
        { "appli", "{'resident':false,'startCommand':'x','stopCommand':' '}", "stopCommand", "required-when-non-resident" },
        { "script", "{'startScript':'x','timeout':5}", "timeout", "unknown-parameter" },
        { "script", "{}", "startScript", "required" },
        { "script", "{'startScript':['a']}", "startScript", "type" },
        { "script", "{'startScript':'x','timeoutSeconds':0}", "timeoutSeconds", "range" },
        { "script", "{'startScript':'x','timeoutSeconds':'60'}", "timeoutSeconds", "type" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt','fs':'ext4'}", "fs", "unknown-parameter" },
        { "sd", "{'device':'/dev/sdb1'}", "mountPoint", "required" },
        { "sd", "{'device':'sdb1','mountPoint':'/mnt'}", "device", "path" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt','fsType':'ntfs'}", "fsType", "enum" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt','fsType':'EXT4'}", "fsType", "enum" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt','fsckTimeoutSeconds':0}", "fsckTimeoutSeconds", "range" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/mnt','fsck':'true'}", "fsck", "type" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'/'}", "mountPoint", "mount-point" },
        { "sd", "{'device':'/dev/sdb1','mountPoint':'//'}", "mountPoint", "mount-point" },
        { "service", "{'unit':'nginx.service','enable':true}", "enable", "unknown-parameter" },
        { "service", "{}", "unit", "required" },
        { "service", "{'unit':1}", "unit", "type" },
        { "service", "{'unit':'nginx'}", "unit", "systemd-unit-name" },
        { "service", "{'unit':'getty@.service'}", "unit", "systemd-unit-name" },
        { "service", "{'unit':'a b.service'}", "unit", "systemd-unit-name" },
        { "fip", "{'ip':'10.231.1.10','IP':'10.231.1.11'}", "IP", "unknown-parameter" },
        { "fip", "{}", "ip", "required" },
        { "fip", "{'ip':10}", "ip", "type" },
        { "fip", "{'ip':'10.231.1'}", "ip", "ip-address" },
        { "fip", "{'ip':'10.231.1.10/24'}", "ip", "ip-address" },
        { "fip", "{'ip':'fip.example'}", "ip", "ip-address" },
        { "fip", "{'ip':'127.0.0.1'}", "ip", "unicast-address" },
        { "fip", "{'ip':'224.0.0.1'}", "ip", "unicast-address" },
        { "fip", "{'ip':'0.0.0.0'}", "ip", "unicast-address" },
        { "fip", "{'ip':'::1'}", "ip", "unicast-address" },
        { "fip", "{'ip':'10.231.1.10','arpCount':17}", "arpCount", "range" },
        { "fip", "{'ip':'10.231.1.10','conflictCheckTimeoutMs':9}", "conflictCheckTimeoutMs", "range" },
        { "fip", "{'ip':'10.231.1.10','conflictCheck':1}", "conflictCheck", "type" },
        { "fip", "{'ip':'10.231.1.10','interface':'eth0/1'}", "interface", "interface-name" },
        { "fip", "{'ip':'10.231.1.10','interface':'averyveryverylongname'}", "interface", "interface-name" },
        { "fip", "{'ip':'10.231.1.10','interface':''}", "interface", "interface-name" },
        { "ipw", "{'targets':['10.231.1.1'],'count':3}", "count", "unknown-parameter" },
        { "ipw", "{}", "targets", "required" },
        { "ipw", "{'targets':'10.231.1.1'}", "targets", "type" },
        { "ipw", "{'targets':[]}", "targets", "range" },
        { "ipw", "{'targets':" + SeventeenTargets + "}", "targets", "range" },
        { "ipw", "{'targets':['10.231.1.1','gateway']}", "targets[1]", "ip-address" },
        { "ipw", "{'targets':['10.231.1.1',5]}", "targets[1]", "type" },
        { "httpw", "{'url':'http://app.test/','headers':{}}", "headers", "unknown-parameter" },
        { "httpw", "{}", "url", "required" },
        { "httpw", "{'url':'ftp://app.test/'}", "url", "url" },
        { "httpw", "{'url':'/health'}", "url", "url" },
        { "httpw", "{'url':'http://app.test/','method':'POST'}", "method", "enum" },
        { "httpw", "{'url':'http://app.test/','expectedStatus':600}", "expectedStatus", "range" },
        { "httpw", "{'url':'http://app.test/','expectedStatus':99}", "expectedStatus", "range" },
        { "httpw", "{'url':'http://app.test/','verifyTls':'no'}", "verifyTls", "type" },
        { "tcpw", "{'host':'10.231.1.5','port':80,'timeout':1}", "timeout", "unknown-parameter" },
        { "tcpw", "{'host':'10.231.1.5'}", "port", "required" },
        { "tcpw", "{'port':80}", "host", "required" },
        { "tcpw", "{'host':'db.example','port':80}", "host", "ip-address" },
        { "tcpw", "{'host':'10.231.1.5','port':0}", "port", "port" },
        { "tcpw", "{'host':'10.231.1.5','port':65536}", "port", "port" },
        { "tcpw", "{'host':'10.231.1.5','port':'80'}", "port", "type" },
        { "fipw", "{'interface':'eth0'}", "interface", "unknown-parameter" },
        { "appliw", "{'pid':1}", "pid", "unknown-parameter" },
        { "sdw", "{'device':'/dev/sdb'}", "device", "unknown-parameter" },
        { "servicew", "{'unit':'nginx.service'}", "unit", "unknown-parameter" },
        { "psw", "{'processName':'nginx','name':'x'}", "name", "unknown-parameter" },
        { "psw", "{}", "processName", "required" },
        { "psw", "{'processName':5}", "processName", "type" },
        { "psw", "{'processName':'nginx','minCount':0}", "minCount", "range" },
        { "genw", "{'script':'x','okExitCodes':[0]}", "okExitCodes", "unknown-parameter" },
        { "genw", "{}", "script", "required" },
        { "genw", "{'script':'x','okExitCode':256}", "okExitCode", "range" },
        { "genw", "{'script':'x','okExitCode':true}", "okExitCode", "type" },
        { "diskw", "{'path':'/x','size':1}", "size", "unknown-parameter" },
        { "diskw", "{}", "path", "required" },
        { "diskw", "{'path':'disk.img'}", "path", "path" },
        { "diskw", "{'path':'/x','sizeBytes':511}", "sizeBytes", "range" },
        { "diskw", "{'path':'/x','sizeBytes':1073741825}", "sizeBytes", "range" },
        { "diskw", "{'path':'/x','fsync':0}", "fsync", "type" },
        { "miiw", "{'interface':'eth0','nic':'eth1'}", "nic", "unknown-parameter" },
        { "miiw", "{}", "interface", "required" },
        { "miiw", "{'interface':['eth0']}", "interface", "type" },
        { "miiw", "{'interface':'eth 0'}", "interface", "interface-name" },
        { "userw", "{'interval':3}", "interval", "unknown-parameter" },
        { "userw", "{'method':'softdog'}", "method", "enum" },
        { "userw", "{'method':'timer','stallThresholdSeconds':0}", "stallThresholdSeconds", "range" },
        { "userw", "{'stallThresholdSeconds':'10'}", "stallThresholdSeconds", "type" },
        { "sraw", "{'cpu':90}", "cpu", "unknown-parameter" },
        { "sraw", "{'cpuPercent':101}", "cpuPercent", "range" },
        { "sraw", "{'diskPercent':0}", "diskPercent", "range" },
        { "sraw", "{'memoryPercent':90.5}", "memoryPercent", "type" },
        { "sraw", "{'diskPath':'var'}", "diskPath", "path" },
        { "sraw", "{'windowSeconds':0}", "windowSeconds", "range" },
        { "mrw", "{'category':'nm','keywords':['a']}", "keywords", "unknown-parameter" },
        { "mrw", "{}", "category", "required" },
        { "mrw", "{'category':'nm','keyword':1}", "keyword", "type" },
        { "psqlw", "{'host':'h','database':'d','user':'u','password':'p'}", "password", "unknown-parameter" },
        { "psqlw", "{'host':'h','user':'u'}", "database", "required" },
        { "psqlw", "{'host':'h','database':'d','user':'u','port':70000}", "port", "port" },
        { "psqlw", "{'host':'h','database':'d','user':'u','passwordFile':'pgpass'}", "passwordFile", "path" },
        { "psqlw", "{'host':'h','database':'d','user':'u','query':1}", "query", "type" },
    };

    [Theory]
    [MemberData(nameof(ValidSets))]
    public void ValidateParameters_ValidSet_ReturnsNoErrors(string type, string parameters)
    {
        var errors = TypeCatalog.Default.ValidateParameters(Type(type), Obj(parameters));

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(InvalidSets))]
    public void ValidateParameters_InvalidSet_ReturnsExactlyThatError(string type, string parameters, string field, string rule)
    {
        var errors = TypeCatalog.Default.ValidateParameters(Type(type), Obj(parameters));

        var error = Assert.Single(errors);
        Assert.Equal((Prefix + "." + field, rule), (error.Field, error.Rule));
        Assert.Contains(Prefix + "." + field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidSets_EverySupportedType_HasAtLeastOne()
    {
        var covered = ValidSets.Select(row => (string)row[0]).ToHashSet();

        var missing = SupportedTypes().Where(t => !covered.Contains(t.Type)).Select(t => t.Type);

        Assert.Empty(missing);
    }

    [Fact]
    public void InvalidSets_EverySupportedType_CoverEveryRuleKindItHas()
    {
        var covered = InvalidSets.Select(row => ((string)row[0], (string)row[3])).ToHashSet();

        var missing = SupportedTypes()
            .SelectMany(t => RuleKinds(t).Select(rule => (t.Type, rule)))
            .Where(pair => !covered.Contains(pair))
            .Select(pair => $"{pair.Type}:{pair.rule}");

        Assert.Empty(missing);
    }

    [Fact]
    public void ValidateParameters_NullParameters_TreatedAsEmpty()
    {
        var catalog = TypeCatalog.Default;

        Assert.Empty(catalog.ValidateParameters(Type("fipw"), null));
        var error = Assert.Single(catalog.ValidateParameters(Type("fip"), null));
        Assert.Equal(("spec.parameters.ip", "required"), (error.Field, error.Rule));
    }

    [Fact]
    public void ValidateParameters_CustomPrefix_UsedInEveryField()
    {
        var errors = TypeCatalog.Default.ValidateParameters(Type("ipw"), Obj("{'targets':['x'],'y':1}"), "items[2].parameters");

        Assert.Equal(["items[2].parameters.targets[0]", "items[2].parameters.y"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void ValidateParameters_SeveralProblems_ReportsEveryOne()
    {
        var errors = TypeCatalog.Default.ValidateParameters(
            Type("appli"), Obj("{'resident':false,'stopSignal':'SIGKILL','stopGraceSeconds':-5,'extra':true}"));

        Assert.Equal(
            [
                ("spec.parameters.extra", "unknown-parameter"),
                ("spec.parameters.startCommand", "required"),
                ("spec.parameters.stopCommand", "required-when-non-resident"),
                ("spec.parameters.stopGraceSeconds", "range"),
                ("spec.parameters.stopSignal", "enum"),
            ],
            errors.Select(e => (e.Field, e.Rule)).Order());
    }

    [Fact]
    public void ValidateParameters_UnknownParameterDifferingInCase_SuggestsTheRealName()
    {
        var error = Assert.Single(TypeCatalog.Default.ValidateParameters(Type("fip"), Obj("{'ip':'10.231.1.10','ArpCount':2}")));

        Assert.Contains("'arpCount'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateParameters_ValuesBuiltInCode_AcceptedLikeParsedJson()
    {
        var parameters = new JsonObject { ["ip"] = "10.231.1.10", ["arpCount"] = 2, ["conflictCheck"] = false };

        Assert.Empty(TypeCatalog.Default.ValidateParameters(Type("fip"), parameters));
    }

    [Fact]
    public void ValidateParameters_NonResidentAppliWithStopCommandOfWrongType_ReportsOnlyTheTypeError()
    {
        var error = Assert.Single(TypeCatalog.Default.ValidateParameters(
            Type("appli"), Obj("{'resident':false,'startCommand':'x','stopCommand':7}")));

        Assert.Equal(("spec.parameters.stopCommand", "type"), (error.Field, error.Rule));
    }

    private static IEnumerable<CatalogType> SupportedTypes() =>
        TypeCatalog.Default.ResourceTypes.Concat(TypeCatalog.Default.MonitorTypes).Where(t => t.Supported);

    /// <summary>The rule kinds a type's schema implies, plus its type-specific rules.</summary>
    private static IEnumerable<string> RuleKinds(CatalogType type)
    {
        var kinds = new HashSet<string> { "unknown-parameter" };
        foreach (var p in type.Parameters)
        {
            kinds.Add("type");
            if (p.Required)
            {
                kinds.Add("required");
            }

            var bounded = p.Minimum is not null || p.Maximum is not null;
            kinds.UnionWith(p.Type switch
            {
                ParameterType.Integer or ParameterType.StringList or ParameterType.StringMap when bounded => ["range"],
                ParameterType.IpAddressList when bounded => ["ip-address", "range"],
                ParameterType.IpAddress or ParameterType.IpAddressList => ["ip-address"],
                ParameterType.Port => ["port"],
                ParameterType.Url => ["url"],
                ParameterType.Path => ["path"],
                ParameterType.Cidr => ["cidr"],
                ParameterType.Enum => ["enum"],
                _ => [],
            });
        }

        kinds.UnionWith(TypeRules.GetValueOrDefault(type.Type) ?? []);
        return kinds;
    }
}
