namespace Clp.Drivers.Linux.Monitors;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)): what is mounted where, from which source.</summary>
internal sealed record MountInfo(string MountPoint, string FileSystemType, string Source, string Options)
{
    /// <summary>Every mount; the octal escapes (<c>\040</c> for a space, ...) are decoded.</summary>
    public static IReadOnlyList<MountInfo> ParseAll(string text)
    {
        var result = new List<MountInfo>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 /mnt1 /mnt/a rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 7 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            result.Add(new MountInfo(Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2]), fields[5]));
        }

        return result;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder();
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
        at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
