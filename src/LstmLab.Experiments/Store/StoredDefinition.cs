using System.Globalization;
using System.Text;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>Turns a stored experiment back into a definition a worker or a report can use.</summary>
public static class StoredDefinition
{
    /// <summary>
    /// Parses the stored YAML, applies the stored overrides, and points the data at <paramref name="dataPath"/>
    /// (a copy of the stored data file) when the experiment read a file.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored definition no longer parses (another tool version wrote it).</exception>
    public static ExperimentDefinition Rebuild(ExperimentRecord record, string? dataPath)
    {
        ArgumentNullException.ThrowIfNull(record);
        ExperimentDefinition parsed = ExperimentFile.Parse(record.Definition, $"{record.Source} (stored as experiment {record.Id})");
        int? repeats = null, epochs = null;
        foreach (string line in (record.Overrides ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = line.Split('=', 2);
            int value = int.Parse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture);
            if (kv[0] == "repeats")
                repeats = value;
            else if (kv[0] == "epochs")
                epochs = value;
            else
                throw new InvalidDataException($"Experiment {record.Id}: unknown stored override '{line}'.");
        }
        parsed = parsed.With(repeats, epochs) with { Source = record.Source };
        return dataPath is null ? parsed : parsed with { Data = parsed.Data with { Data = dataPath } };
    }

    /// <summary>
    /// The data file as the submitting machine named it (resolved against the experiment file's folder, as
    /// <see cref="ExperimentFile.Load"/> does), or null for a shipped dataset.
    /// </summary>
    public static string? SubmittedDataPath(ExperimentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.DataContent is null)
            return null;
        string written = Rebuild(record, null).Data.Data;
        if (Path.IsPathRooted(written) || record.Source.StartsWith("builtin:", StringComparison.Ordinal))
            return written;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(record.Source)) ?? "", written);
    }

    /// <summary>Writes the stored data file into <paramref name="directory"/>; returns its path, or null for a shipped dataset.</summary>
    public static string? WriteData(ExperimentRecord record, string directory)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.DataContent is null)
            return null;
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, record.Id + "-" + Path.GetFileName(record.DataName));
        File.WriteAllText(path, record.DataContent, new UTF8Encoding(false));
        return path;
    }
}
