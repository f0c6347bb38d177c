using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LstmLab.Training;

namespace LstmLab.Cli;

/// <summary>
/// Shared plumbing of the commands: the error contract (one <c>error:</c> line, an exit code, never a
/// stack trace for a user mistake or an environment problem) and the one-line JSON result.
/// </summary>
internal static partial class CliOutput
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: bad input or usage: an option, a file, a folder or a size the command cannot use.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code: training diverged (NaN or infinite loss), or some repeats of an experiment failed.</summary>
    public const int Diverged = 3;

    /// <summary>Exit code: a bug in lstmlab (an exception nobody expected).</summary>
    public const int InternalError = 70;

    /// <summary>Exit code: interrupted (Ctrl+C); finished work is kept.</summary>
    public const int Interrupted = 130;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>
    /// Runs a command body and maps what it throws to the error contract: a user mistake or an
    /// environment problem (bad option, bad file, unwritable folder, a size that cannot fit) is one
    /// <c>error:</c> line on standard error and exit code 2; a diverged training exit code 3; an
    /// interruption exit code 130; anything else is a bug, reported in one line with exit code 70
    /// (set <c>LSTMLAB_TRACE=1</c> for its stack trace).
    /// </summary>
    public static int Guard(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>Prints <paramref name="e"/> as the error contract says and returns its exit code.</summary>
    public static int Report(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e = Unwrap(e);
        switch (e)
        {
            case OperationCanceledException:
                Console.Error.WriteLine("interrupted");
                return Interrupted;
            case TrainingDivergedException:
                Error(e.Message);
                return Diverged;
            case OutOfMemoryException or InsufficientMemoryException:
                Error("not enough memory for the sizes asked for (" + e.Message.TrimEnd('.') + "); choose smaller sizes (units, batch, sequence length) or fewer runs at once (--parallel).");
                return BadInput;
            case OverflowException:
                Error("a size asked for is too large to compute with (" + e.Message.TrimEnd('.') + "); choose smaller sizes (units, batch, sequence length).");
                return BadInput;
            case PathTooLongException:
                Error("a path is too long for this system: " + e.Message);
                return BadInput;
            case DirectoryNotFoundException or FileNotFoundException:
                Error(e.Message);
                return BadInput;
            case UnauthorizedAccessException:
                Error(e.Message + " (permission denied: choose a folder you can write to, or change its permissions).");
                return BadInput;
            case ArgumentException { ParamName: not null } setting:
                Error(InCliTerms(setting.Message));
                return BadInput;
            case IOException or InvalidDataException or FormatException or ArgumentException or LstmLab.Data.DataFormatException:
                Error(e.Message);
                return BadInput;
            default:
                Error($"internal error (a bug in lstmlab; please report it with the command that caused it): {e.GetType().Name}: {e.Message}");
                if (Environment.GetEnvironmentVariable("LSTMLAB_TRACE") == "1")
                    Console.Error.WriteLine(e.ToString());
                return InternalError;
        }
    }

    /// <summary>
    /// Checks, before any work starts, that <paramref name="path"/> (the value of <paramref name="option"/>)
    /// can be written as a file: not a folder, no file where a folder of its path should be, and the
    /// nearest existing folder takes files. An existing file is left as it is; the probe file is removed.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; the message names the option and why.</exception>
    public static void CheckWritableFile(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new IOException($"{option} '{path}' is a folder; name a file to write.");
        try
        {
            if (File.Exists(path))
            {
                using (new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                }
                return;
            }
            // The folders that do not exist yet are made when the file is written; probe the nearest one that does.
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            while (folder is not null && !Directory.Exists(folder))
            {
                if (File.Exists(folder))
                    throw new IOException($"'{folder}' on its path is a file, not a folder.");
                folder = Path.GetDirectoryName(folder);
            }
            string probe = Path.Combine(folder ?? ".", F($".lstmlab-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"));
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{option} '{path}' cannot be written: {UserMessage(e.Message)}", e);
        }
    }

    /// <summary>The command being run, whose options name the library's settings in messages (set by <see cref="CliApp.Run"/>).</summary>
    internal static System.CommandLine.Command? Command { get; set; }

    /// <summary>
    /// A library message about a setting, in the command line's terms: each setting the library names
    /// (<c>Units</c>, <c>BatchSize</c>) that is an option of the command being run becomes that option
    /// (<c>--units</c>, <c>--batch-size</c>); other words stay as they are.
    /// </summary>
    internal static string InCliTerms(string message)
    {
        if (Command is null)
            return message;
        var flags = Command.Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        return SettingName().Replace(message, m =>
        {
            string flag = "--" + string.Concat(m.Value.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));
            return flags.Contains(flag) ? flag : m.Value;
        });
    }

    [GeneratedRegex(@"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*\b", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();

    /// <summary>Writes one <c>error:</c> line: the message cleaned of .NET's parameter suffix, on one line, printable.</summary>
    public static void Error(string message) => Console.Error.WriteLine("error: " + UserMessage(message));

    /// <summary>Writes one <c>warning:</c> line.</summary>
    public static void Warning(string message) => Console.Error.WriteLine("warning: " + UserMessage(message));

    /// <summary>
    /// A message as the user should see it: without .NET's " (Parameter 'name')" and "Actual value was"
    /// suffixes, on one line, with control characters and undecodable bytes shown as escapes, not echoed.
    /// </summary>
    internal static string UserMessage(string message)
    {
        string m = ParameterSuffix().Replace(message ?? "", "");
        m = m.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Trim();
        return Printable(m, 2000);
    }

    /// <summary>
    /// <paramref name="text"/> with control characters, the replacement character of undecodable bytes
    /// and other non-printing characters written as <c>\xNN</c> / <c>\uNNNN</c>, cut to
    /// <paramref name="maxLength"/> characters.
    /// </summary>
    internal static string Printable(string text, int maxLength)
    {
        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (char ch in text)
        {
            if (sb.Length >= maxLength)
            {
                sb.Append("...");
                break;
            }
            UnicodeCategory category = char.GetUnicodeCategory(ch);
            if (ch < 0x20 || ch == 0x7f)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}");
            else if (ch == '\uFFFD')
                sb.Append("\\ufffd");
            else if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse)
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}");
            else
                sb.Append(ch);
        }
        return sb.ToString();
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is AggregateException aggregate)
            {
                // The first failure that is not a cancellation caused by the others stopping.
                Exception[] inner = aggregate.Flatten().InnerExceptions.ToArray();
                e = inner.FirstOrDefault(x => x is not OperationCanceledException) ?? inner.FirstOrDefault() ?? e;
                if (e is AggregateException)
                    return e;
                continue;
            }
            if (e is System.Reflection.TargetInvocationException { InnerException: Exception target })
            {
                e = target;
                continue;
            }
            return e;
        }
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)(\s*Actual value was [^\r\n]*)?", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterSuffix();

    /// <summary>Writes <paramref name="value"/> as one line of JSON (snake_case keys) to standard output.</summary>
    public static void WriteJsonLine(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Formats with the invariant culture.</summary>
    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
