namespace LstmLab.Training;

/// <summary>
/// An optimizer by its Keras name with the settings every optimizer shares: the learning rate (null:
/// that optimizer's Keras default) and at most one of Keras's three gradient clippings. Lets a command
/// line or a settings file name an optimizer without knowing its class.
/// </summary>
/// <param name="Name">adam, sgd, rmsprop or adagrad (case-insensitive).</param>
/// <param name="LearningRate">null for the Keras default: 0.001 (adam, rmsprop, adagrad), 0.01 (sgd).</param>
/// <param name="ClipNorm">Keras <c>clipnorm</c> (per variable), or null.</param>
/// <param name="ClipValue">Keras <c>clipvalue</c>, or null.</param>
/// <param name="GlobalClipNorm">Keras <c>global_clipnorm</c>, or null.</param>
public sealed record OptimizerSettings(string Name = "adam", double? LearningRate = null, double? ClipNorm = null, double? ClipValue = null, double? GlobalClipNorm = null)
{
    /// <summary>The optimizer names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "sgd", "rmsprop", "adagrad"];

    /// <summary>Whether these are Keras's Adam with its defaults and no clipping (what the seed tutorials compile with).</summary>
    public bool IsDefaultAdam => Normalized == "adam" && LearningRate is null && ClipNorm is null && ClipValue is null && GlobalClipNorm is null;

    private string Normalized => Name.Trim().ToLowerInvariant();

    /// <summary>A new optimizer with these settings (its other settings at Keras's defaults).</summary>
    /// <exception cref="ArgumentException">Unknown name, a learning rate or clip that is not a positive number, or two clippings at once; the message names the setting.</exception>
    public Optimizer Create()
    {
        Optimizer optimizer = Normalized switch
        {
            "adam" => new Adam(LearningRate ?? 0.001),
            "sgd" => new Sgd(LearningRate ?? 0.01),
            "rmsprop" => new RMSprop(LearningRate ?? 0.001),
            "adagrad" => new Adagrad(LearningRate ?? 0.001),
            _ => throw new ArgumentException($"Unknown optimizer '{Name}': expected one of {string.Join(", ", Names)}.", nameof(Name)),
        };
        optimizer.ClipNorm = ClipNorm;
        optimizer.ClipValue = ClipValue;
        optimizer.GlobalClipNorm = GlobalClipNorm;
        return optimizer;
    }

    /// <summary>A short description, e.g. <c>rmsprop(learning_rate 0.01, clipnorm 1)</c>; <c>adam</c> for the defaults.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (LearningRate is double lr)
            parts.Add(FormattableString.Invariant($"learning_rate {lr:G6}"));
        if (ClipNorm is double cn)
            parts.Add(FormattableString.Invariant($"clipnorm {cn:G6}"));
        if (ClipValue is double cv)
            parts.Add(FormattableString.Invariant($"clipvalue {cv:G6}"));
        if (GlobalClipNorm is double gn)
            parts.Add(FormattableString.Invariant($"global_clipnorm {gn:G6}"));
        return parts.Count == 0 ? Normalized : $"{Normalized}({string.Join(", ", parts)})";
    }
}
