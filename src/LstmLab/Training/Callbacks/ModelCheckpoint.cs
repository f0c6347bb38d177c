using System.Globalization;

namespace LstmLab.Training;

/// <summary>
/// Keras's <c>ModelCheckpoint</c>: saves the model (<see cref="Sequential.Save"/>) after every epoch, or with
/// <see cref="SaveBestOnly"/> only after an epoch whose <see cref="Monitor"/> beats the best so far (strictly;
/// Keras's comparison, no min_delta). The path may contain <c>{epoch}</c> (or <c>{epoch:02d}</c>, zero-padded
/// to the given width), replaced by the 1-based epoch number, as Keras formats it.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private double _best;
    private bool _maximise, _ready;

    /// <exception cref="ArgumentException">An empty path or an unknown mode.</exception>
    public ModelCheckpoint(string filePath, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto")
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        FilePath = filePath;
        Monitor = monitor;
        SaveBestOnly = saveBestOnly;
        Mode = CheckMode(mode);
    }

    public string FilePath { get; }

    public string Monitor { get; }

    public bool SaveBestOnly { get; }

    public string Mode { get; }

    /// <summary>The paths written so far, in order.</summary>
    public List<string> Saved { get; } = [];

    public override void OnTrainBegin() => _ready = false;

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        Sequential model = RequireModel();
        if (SaveBestOnly)
        {
            if (!_ready)
            {
                _maximise = Maximise(Monitor, Mode);
                _best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
                _ready = true;
            }
            if (!logs.TryGetValue(Monitor, out double current))
                throw new ArgumentException($"ModelCheckpoint monitors '{Monitor}', which the logs do not have (they have {string.Join(", ", logs.Keys)}).");
            if (!(_maximise ? current > _best : current < _best))
                return;
            _best = current;
        }
        string path = PathFor(epoch + 1);
        model.Save(path);
        Saved.Add(path);
    }

    /// <summary>The file path with <c>{epoch}</c> / <c>{epoch:0Nd}</c> replaced by <paramref name="epoch"/>.</summary>
    internal string PathFor(int epoch)
    {
        string path = FilePath.Replace("{epoch}", epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        int start = path.IndexOf("{epoch:", StringComparison.Ordinal);
        if (start >= 0)
        {
            int end = path.IndexOf('}', start);
            string format = path[(start + 7)..end];
            int width = format.TrimStart('0').TrimEnd('d') is { Length: > 0 } digits ? int.Parse(digits, CultureInfo.InvariantCulture) : 0;
            path = string.Concat(path.AsSpan(0, start), epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'), path.AsSpan(end + 1));
        }
        return path;
    }
}
