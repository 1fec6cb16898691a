using System.Globalization;
using System.Text;

namespace Clp.Drivers.Linux.Resources;

/// <summary>One line of <c>/proc/self/mountinfo</c>: what is mounted where (see proc(5)).</summary>
/// <param name="MajorMinor">The st_dev of the mounted file system, e.g. <c>7:0</c> for /dev/loop0.</param>
internal sealed record MountEntry(int Id, string MajorMinor, string Root, string MountPoint, string FsType, string Source)
{
    /// <summary>Parses the whole file. Mounts are in mount order, so of several on one point the last is the
    /// one seen there.</summary>
    public static IReadOnlyList<MountEntry> ParseAll(string mountinfo)
    {
        var list = new List<MountEntry>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 10 || separator < 0 || separator + 2 >= fields.Length
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            list.Add(new MountEntry(id, fields[2], Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2])));
        }

        return list;
    }

    /// <summary>The mounts of the calling process's mount namespace now.</summary>
    public static IReadOnlyList<MountEntry> ReadAll() => ParseAll(File.ReadAllText("/proc/self/mountinfo"));

    /// <summary>Undoes the kernel's octal escapes of space, tab, newline and backslash (<c>\040</c> ...).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s.AsSpan(at, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
