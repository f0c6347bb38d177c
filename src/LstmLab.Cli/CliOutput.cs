using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmLab.Cli;

/// <summary>Shared plumbing of the commands: user-error handling and the one-line JSON result.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>
    /// Runs a command body; a user mistake (bad option, bad file, bad shape) is printed as one
    /// "error:" line on standard error with exit code 2, never as a stack trace.
    /// </summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or IOException or InvalidDataException or FormatException
            or LstmLab.Data.DataFormatException or UnauthorizedAccessException;

    /// <summary>Writes <paramref name="value"/> as one line of JSON (snake_case keys) to standard output.</summary>
    public static void WriteJsonLine(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Formats with the invariant culture.</summary>
    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
