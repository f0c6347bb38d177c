using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Reproduce;

/// <summary>One finished memory trial, as saved: its seed, the outcome and the predictions.</summary>
/// <param name="Index">Trial index (the seed is first seed + index).</param>
/// <param name="X">Per sequence, the inputs.</param>
/// <param name="Y">Per sequence, the targets.</param>
/// <param name="Predicted">Per sequence, the predicted classes.</param>
public sealed record MemoryTrial(int Index, long Seed, bool Solved, int? FirstSolvedEpoch, int Correct, int Total, int[][] X, int[][] Y, int[][] Predicted,
    IReadOnlyList<string> Explanation, double Seconds, string SettingsHash);

/// <summary>One finished echo trial, as saved.</summary>
/// <param name="Expected">The values to echo of the evaluation sequence, one per sample.</param>
/// <param name="Predicted">The echoed values.</param>
public sealed record EchoTrial(int Index, long Seed, bool Solved, int? FirstSuccessEpoch, int Correct, int Total, int[] Expected, int[] Predicted,
    double Seconds, string SettingsHash);

/// <summary>
/// Finished trials of a reproduce section, one JSON file each under <c>OUT/trials/SECTION/</c>, written
/// atomically as each ends, so an interrupted run started again keeps them and runs only the rest — the
/// experiment harness's resume, for trials. A file made with other settings is never mixed in.
/// </summary>
public static class TrialStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>A short hash of a trial's settings (the seed left out): the same text gives the same hash.</summary>
    public static string SettingsHash(string settings) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(settings)))[..16].ToLowerInvariant();

    /// <summary>The trials already finished in <paramref name="folder"/> with <paramref name="hash"/>, by index, below <paramref name="count"/>.</summary>
    /// <exception cref="InvalidDataException">A file there is unreadable or was made with other settings.</exception>
    public static Dictionary<int, T> Load<T>(string folder, string hash, int count, Func<T, int> index, Func<T, string> hashOf)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(hashOf);
        var found = new Dictionary<int, T>();
        if (!Directory.Exists(folder))
            return found;
        foreach (string file in Directory.EnumerateFiles(folder, "trial-*.json").Order(StringComparer.Ordinal))
        {
            T trial;
            try
            {
                trial = JsonSerializer.Deserialize<T>(File.ReadAllText(file), Json) ?? throw new InvalidDataException($"Finished trial '{file}' is empty; delete it to run that trial again.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Finished trial '{file}' cannot be read ({e.Message}); delete it to run that trial again.", e);
            }
            if (hashOf(trial) != hash)
                throw new InvalidDataException($"'{file}' was made with other settings than this run asks for. Use another --out folder, or delete '{folder}' to start that section over.");
            if (index(trial) < count)
                found[index(trial)] = trial;
        }
        return found;
    }

    /// <summary>Saves one trial as <c>trial-NNNN.json</c> in <paramref name="folder"/>.</summary>
    public static void Save<T>(string folder, int index, T trial)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"trial-{index:D4}.json")), JsonSerializer.Serialize(trial, Json));
    }
}
