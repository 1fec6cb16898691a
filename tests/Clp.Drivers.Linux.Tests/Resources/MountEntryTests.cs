using Clp.Drivers.Linux.Resources;

namespace Clp.Drivers.Linux.Tests.Resources;

/// <summary>Parsing /proc/self/mountinfo (no I/O).</summary>
public class MountEntryTests
{
    private const string Sample = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        36 22 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue
        40 22 7:3 / /srv/my\040data rw,relatime - ext4 /dev/loop3 rw
        41 40 0:45 / /srv/my\040data/run rw - tmpfs tmpfs rw,size=1024k
        """;

    [Fact]
    public void ParseAll_ReadsDeviceMountPointTypeAndSource_WithOptionalFields()
    {
        var mounts = MountEntry.ParseAll(Sample);

        Assert.Equal(4, mounts.Count);
        Assert.Equal(new MountEntry(36, "98:0", "/mnt1", "/mnt/parent", "ext3", "/dev/root"), mounts[1]);
        Assert.Equal("/srv/my data", mounts[2].MountPoint);
        Assert.Equal("tmpfs", mounts[3].Source);
    }

    [Theory]
    [InlineData(@"/a\040b", "/a b")]
    [InlineData(@"/a\011b\012c\134d", "/a\tb\nc\\d")]
    [InlineData(@"/plain", "/plain")]
    [InlineData(@"/trailing\04", @"/trailing\04")]
    public void Unescape_UndoesTheKernelsOctalEscapes(string field, string expected)
    {
        Assert.Equal(expected, MountEntry.Unescape(field));
    }

    [Fact]
    public void BlockDevice_MatchesMountsByMajorMinorOrSource()
    {
        var mounts = MountEntry.ParseAll(Sample);
        var loop = new BlockDevice("/dev/disk/by-label/x", "/dev/loop3", "7:3");

        Assert.True(loop.IsMountedBy(mounts[2]));
        Assert.False(loop.IsMountedBy(mounts[0]));
        Assert.True(new BlockDevice("/dev/root", "/dev/root", null).IsMountedBy(mounts[1]));
    }
}
