using LstmLab.Numerics;

namespace LstmLab.Experiments.LongLag;

/// <summary>
/// Experiment 1 of Hochreiter &amp; Schmidhuber (1997): the embedded Reber grammar. Symbols B, T, P, S, X, V, E,
/// one-hot (7 inputs, 7 outputs). A Reber string walks the graph
/// <code>
/// 0 -B-> 1;  1 -T-> 2 | -P-> 3;  2 -S-> 2 | -X-> 4;  3 -T-> 3 | -V-> 5;  4 -X-> 3 | -S-> 6;  5 -P-> 4 | -V-> 6;  6 -E-> end
/// </code>
/// (each branch with probability ½); the embedded string is B, T or P, a Reber string, the same T or P, E — so
/// the symbol after the inner E needs the second symbol, an unbounded number of steps back. The net predicts
/// the next symbol at every step (target: the symbol that follows). As in the paper, 256 training and 256 test
/// strings are drawn once per trial; training draws strings from the training set. Success: every symbol of
/// every training and test string predicted, where a step is predicted when the k most active outputs are
/// exactly the k symbols the grammar allows next (k = 1 or 2). Judged every 256 training strings.
/// Paper: 100% of 30 trials, 8,440 training sequences on average (3 blocks of size 2, learning rate 0.5).
/// </summary>
public sealed class ReberTask : LongLagTask
{
    /// <summary>The symbols in input/output order.</summary>
    public const string Symbols = "BTPSXVE";

    private const int SetSize = 256;

    // The Reber graph: for each state, the two (symbol, next state) branches; state 6 emits E and ends.
    private static readonly (char Symbol, int Next)[][] Graph =
    [
        [('B', 1)],
        [('T', 2), ('P', 3)],
        [('S', 2), ('X', 4)],
        [('T', 3), ('V', 5)],
        [('X', 3), ('S', 6)],
        [('P', 4), ('V', 6)],
        [('E', -1)],
    ];

    private readonly long _setSeed;
    private LongLagSequence[] _train = [];

    public override string Name => "reber";

    public override string Description => "embedded Reber grammar: next-symbol prediction over B, T, P, S, X, V, E; 256 training and 256 test strings";

    public override int Inputs => 7;

    public override int Outputs => 7;

    public override bool TargetAtEveryStep => true;

    public override LongLagOutput Output => LongLagOutput.Sigmoid;

    public override string CriterionText => "every next symbol of all 256 training and 256 test strings predicted (the k most active outputs are the k legal next symbols), checked every 256 strings";

    public override double? PaperSequences => 8440;

    public override string? PaperResult => "100% of 30 trials (3 blocks of size 2, lr 0.5)";

    public override string? Baseline => "a net that only sees the current symbol cannot predict the T/P after the inner E: it fails on every string";

    public ReberTask(long setSeed = 0)
    {
        _setSeed = setSeed;
    }

    /// <summary>A random Reber string (B … E).</summary>
    public static string ReberString(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var s = new System.Text.StringBuilder();
        int state = 0;
        while (state >= 0)
        {
            (char Symbol, int Next)[] branches = Graph[state];
            (char symbol, int next) = branches.Length == 1 ? branches[0] : branches[random.NextInt(2)];
            s.Append(symbol);
            state = next;
        }
        return s.ToString();
    }

    /// <summary>A random embedded Reber string: B, T|P, a Reber string, the same T|P, E.</summary>
    public static string EmbeddedString(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        char outer = random.NextInt(2) == 0 ? 'T' : 'P';
        return $"B{outer}{ReberString(random)}{outer}E";
    }

    /// <summary>Whether <paramref name="s"/> is a string of the Reber grammar.</summary>
    public static bool IsReber(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        int state = 0, i = 0;
        while (state >= 0)
        {
            if (i >= s.Length)
                return false;
            int next = -2;
            foreach ((char symbol, int to) in Graph[state])
            {
                if (symbol == s[i])
                    next = to;
            }
            if (next == -2)
                return false;
            state = next;
            i++;
        }
        return i == s.Length;
    }

    /// <summary>Whether <paramref name="s"/> is an embedded Reber string.</summary>
    public static bool IsEmbedded(string s) =>
        s is not null && s.Length >= 9 && s[0] == 'B' && s[^1] == 'E' && (s[1] is 'T' or 'P') && s[^2] == s[1] && IsReber(s[2..^2]);

    /// <summary>The symbols the embedded grammar allows after each prefix s[..t+1], for t = 0 .. Length−2.</summary>
    public static string[] LegalNext(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var legal = new string[s.Length - 1];
        legal[0] = "TP";                 // after the outer B
        legal[1] = "B";                  // after the outer T/P: the inner B
        int state = 1;                   // the inner string's state after its B
        for (int t = 2; t < s.Length - 3; t++)
        {
            legal[t] = string.Concat(Graph[state].Select(b => b.Symbol));
            state = Graph[state].Single(b => b.Symbol == s[t + 1]).Next;
        }
        legal[^2] = s[1].ToString(CultureInfo());    // after the inner E: the outer T/P again
        legal[^1] = "E";
        return legal;
    }

    private static System.Globalization.CultureInfo CultureInfo() => System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>The one-hot sequence of a string: inputs s[0..^1], targets s[1..].</summary>
    public static LongLagSequence Encode(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        int n = s.Length - 1;
        var x = new float[n * 7];
        var y = new float[n * 7];
        for (int t = 0; t < n; t++)
        {
            SetOneHot(x, t, 7, Symbols.IndexOf(s[t], StringComparison.Ordinal));
            SetOneHot(y, t, 7, Symbols.IndexOf(s[t + 1], StringComparison.Ordinal));
        }
        return new LongLagSequence(n, x, y);
    }

    /// <summary>Decodes a one-hot sequence back to its string.</summary>
    public static string Decode(LongLagSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var chars = new char[sequence.Length + 1];
        for (int t = 0; t < sequence.Length; t++)
            chars[t] = Symbols[sequence.SymbolAt(t, 7)];
        int last = Array.IndexOf(sequence.Targets, 1f, (sequence.Length - 1) * 7) - (sequence.Length - 1) * 7;
        chars[^1] = Symbols[last];
        return new string(chars);
    }

    /// <summary>Whether every step's k most active outputs are exactly the k legal next symbols.</summary>
    public static bool AllPredicted(string s, ReadOnlySpan<float> output)
    {
        ArgumentNullException.ThrowIfNull(s);
        string[] legal = LegalNext(s);
        Span<int> order = stackalloc int[7];
        for (int t = 0; t < legal.Length; t++)
        {
            ReadOnlySpan<float> o = output.Slice(t * 7, 7);
            for (int i = 0; i < 7; i++)
                order[i] = i;
            // The k most active outputs: a partial selection sort is enough for k ≤ 2.
            for (int k = 0; k < legal[t].Length; k++)
            {
                int best = k;
                for (int j = k + 1; j < 7; j++)
                {
                    if (o[order[j]] > o[order[best]])
                        best = j;
                }
                (order[k], order[best]) = (order[best], order[k]);
                if (!legal[t].Contains(Symbols[order[k]], StringComparison.Ordinal))
                    return false;
            }
        }
        return true;
    }

    public override LongLagSequence Generate(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_train.Length == 0)
            throw new InvalidOperationException("Create the criterion first: it draws the training set.");
        return _train[random.NextInt(_train.Length)];
    }

    public override SuccessCriterion NewCriterion(long seed)
    {
        var random = new RandomGenerator(RandomGenerator.DeriveSeed(seed + _setSeed, "reber-sets"));
        string[] train = Enumerable.Range(0, SetSize).Select(_ => EmbeddedString(random)).ToArray();
        string[] test = Enumerable.Range(0, SetSize).Select(_ => EmbeddedString(random)).ToArray();
        _train = train.Select(Encode).ToArray();
        return new ReberCriterion(train.Concat(test).ToArray());
    }

    private sealed class ReberCriterion(string[] strings) : SuccessCriterion
    {
        private readonly LongLagSequence[] _encoded = strings.Select(Encode).ToArray();

        public override int EvaluationInterval => SetSize;

        protected override void ObserveCore(LongLagSequence sequence, ReadOnlySpan<float> output)
        {
        }

        public override void Evaluate(Func<LongLagSequence, float[]> predict)
        {
            for (int i = 0; i < strings.Length; i++)
            {
                if (!AllPredicted(strings[i], predict(_encoded[i])))
                    return;
            }
            SequencesToSuccess = Seen;
        }
    }
}
