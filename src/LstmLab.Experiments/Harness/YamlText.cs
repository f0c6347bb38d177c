using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LstmLab.Experiments.Harness;

/// <summary>
/// The entry point of YAML files: reads the text (refusing a folder, a missing file or binary bytes,
/// which are never echoed) and parses it, turning every syntax error (YamlDotNet's exceptions, and the
/// <see cref="InvalidOperationException"/> it throws for an unclosed bracket) into one
/// <see cref="InvalidDataException"/> that names the file and the line where the problem is.
/// </summary>
public static class YamlText
{
    /// <summary>Reads a YAML file's text.</summary>
    /// <param name="what">What the file is, for messages ("Experiment file").</param>
    /// <exception cref="FileNotFoundException">There is nothing at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The path is a folder, or the file holds bytes that are not UTF-8 text.</exception>
    public static string Read(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new InvalidDataException($"{what} '{path}' is a folder, not a file: name the YAML file inside it.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{what} '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{what} '{path}' is not a text file (a zero byte at offset {nul}): it must be YAML text."));
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{what} '{path}' is not UTF-8 text (an invalid byte at offset {e.Index}): save it as UTF-8 YAML."), e);
        }
    }

    /// <summary>Parses <paramref name="yaml"/>; a syntax error names <paramref name="source"/> and its line.</summary>
    /// <exception cref="InvalidDataException">The text is not valid YAML.</exception>
    public static YamlStream Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        CheckSyntax(yaml, source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Error(source, Line(e, yaml), Describe(e));
        }
        return stream;
    }

    // One pass over the parser's events, keeping the open brackets: YamlDotNet reports an unclosed
    // bracket with an InvalidOperationException that has no position, so the bracket's line is ours.
    private static void CheckSyntax(string yaml, string source)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<(char Bracket, long Line)>();
        long lastLine = 1;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent e = parser.Current!;
                lastLine = e.Start.Line;
                switch (e)
                {
                    case SequenceStart { Style: YamlDotNet.Core.Events.SequenceStyle.Flow }:
                        open.Push(('[', e.Start.Line));
                        break;
                    case MappingStart { Style: YamlDotNet.Core.Events.MappingStyle.Flow }:
                        open.Push(('{', e.Start.Line));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            if (open.Count > 0)
            {
                (char bracket, long line) = open.Peek();
                throw Error(source, line, $"the '{bracket}' opened on this line is never closed with '{(bracket == '[' ? ']' : '}')}'");
            }
            throw Error(source, lastLine, "the YAML cannot be read after this line");
        }
        catch (YamlException e) when (open.Count > 0 && e.Message.Contains("end of stream", StringComparison.OrdinalIgnoreCase))
        {
            (char bracket, long line) = open.Peek();
            throw Error(source, line, $"the '{bracket}' opened on this line is never closed with '{(bracket == '[' ? ']' : '}')}'");
        }
        catch (YamlException e)
        {
            throw Error(source, Line(e, yaml), Describe(e));
        }
    }

    private static long Line(YamlException e, string yaml)
    {
        if (e is AnchorNotFoundException)
        {
            // Its position is not the alias's; find the alias in the text.
            int quote = e.Message.IndexOf('\'', StringComparison.Ordinal);
            int end = quote < 0 ? -1 : e.Message.IndexOf('\'', quote + 1);
            if (end > quote + 1)
            {
                int at = yaml.IndexOf("*" + e.Message[(quote + 1)..end], StringComparison.Ordinal);
                if (at >= 0)
                    return 1 + yaml.AsSpan(0, at).Count('\n');
            }
        }
        // A tab is found where the scanner stands (End); an unclosed quote where the value began (Start).
        return e.Message.Contains("tab character", StringComparison.Ordinal) ? e.End.Line : e.Start.Line;
    }

    private static string Describe(YamlException e)
    {
        string m = e.InnerException?.Message ?? e.Message;
        if (m.Contains("tab character", StringComparison.Ordinal))
            return "a tab character in the indentation: YAML indents with spaces only";
        if (m.Contains("quoted scalar", StringComparison.Ordinal) && m.Contains("end of stream", StringComparison.Ordinal))
            return "the quoted value that starts on this line is never closed";
        if (m.StartsWith("Duplicate key", StringComparison.Ordinal))
            return "a key that is already defined above is defined again";
        if (e is AnchorNotFoundException)
            return "an alias (*name) to an anchor (&name) that is not defined before it";
        m = m.TrimEnd('.');
        return m.Length > 1 ? char.ToLowerInvariant(m[0]) + m[1..] : m;
    }

    private static InvalidDataException Error(string source, long line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}, line {line}: {message} (the YAML is not valid)."));
}
