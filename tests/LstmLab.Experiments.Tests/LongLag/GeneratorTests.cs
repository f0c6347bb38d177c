using LstmLab.Experiments.LongLag;
using LstmLab.Numerics;
using Xunit;

namespace LstmLab.Experiments.Tests.LongLag;

// Provenance (whole file) (cited + hand): lengths, symbol ranges and targets restate the task definitions of
// Hochreiter & Schmidhuber 1997 (Section 5) and locuslab/TCN's adding_problem/utils.py and copy_memory/utils.py as
// LongLag/*.cs cite them; the statistical bounds are hand-derived from each generator's distribution, as the comments
// beside them say.

/// <summary>
/// Each generator against the paper's definition (Hochreiter &amp; Schmidhuber 1997, Section 5; the TCN
/// paper's code for the two modern tasks), checked on many sequences of fixed seeds: symbols, lengths,
/// marker positions, targets, and for Reber the grammar's legal strings.
/// </summary>
public sealed class GeneratorTests
{
    private const int Draws = 2000;

    [Fact]
    public void Reber_StringsAreLegal_AndTheirPredictionSetsFollowTheGraph()
    {
        var random = new RandomGenerator(11);
        var seen = new HashSet<string>();
        for (int i = 0; i < Draws; i++)
        {
            string s = ReberTask.EmbeddedString(random);
            seen.Add(s);
            Assert.True(ReberTask.IsEmbedded(s), s);
            Assert.Equal(s, ReberTask.Decode(ReberTask.Encode(s)));
            string[] legal = ReberTask.LegalNext(s);
            for (int t = 0; t < legal.Length; t++)
                Assert.Contains(s[t + 1], legal[t]);
            Assert.Equal(s[1].ToString(), legal[^2]);   // the long-lag step: the outer T/P again
        }
        Assert.True(seen.Count > 300, $"only {seen.Count} distinct strings");
        // Known strings of the grammar (Reber 1967 as used by Fahlman and the 1997 paper) and illegal ones.
        foreach (string good in new[] { "BTXSE", "BPVVE", "BTSSXXTVVE", "BPTVPSE", "BTXXVPSE" })
            Assert.True(ReberTask.IsReber(good), good);
        foreach (string bad in new[] { "BTXE", "BPVE", "BTSXSXE", "TXSE", "BTXSEE" })
            Assert.False(ReberTask.IsReber(bad), bad);
        Assert.True(ReberTask.IsEmbedded("BTBTXSETE"));
        Assert.False(ReberTask.IsEmbedded("BTBTXSEPE"));
        Assert.Equal(["TP", "B", "TP", "SX", "XS", "E", "T", "E"], ReberTask.LegalNext("BTBTXSETE"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Task2ab_TwoSequences_FirstSymbolRecalledAtTheEnd(bool randomMiddle)
    {
        const int p = 12;
        LongLagTask task = randomMiddle ? new Task2b(p) : new Task2a(p);
        var random = new RandomGenerator(12);
        int xs = 0;
        var middles = new HashSet<string>();
        for (int i = 0; i < Draws; i++)
        {
            LongLagSequence s = task.Generate(random);
            Assert.Equal(p, s.Length);                          // inputs s[0..p-1], p + 1 symbols in all
            int first = s.SymbolAt(0, p + 1);
            Assert.True(first is p - 1 or p, "starts with x or y");
            xs += first == p - 1 ? 1 : 0;
            var middle = Enumerable.Range(1, p - 1).Select(t => s.SymbolAt(t, p + 1)).ToArray();
            Assert.All(middle, a => Assert.InRange(a, 0, p - 2));
            if (!randomMiddle)
                Assert.Equal(Enumerable.Range(0, p - 1), middle);
            middles.Add(string.Join(",", middle));
            // Targets: the next symbol at every step; the last is the first symbol again.
            for (int t = 0; t < p - 1; t++)
                Assert.Equal(1f, s.Targets[t * (p + 1) + s.SymbolAt(t + 1, p + 1)]);
            Assert.Equal(1f, s.Targets[(p - 1) * (p + 1) + first]);
            Assert.Equal(p, s.Targets.Sum());
        }
        Assert.InRange(xs, Draws * 0.45, Draws * 0.55);
        Assert.Equal(randomMiddle ? Draws : 1, middles.Count);
    }

    [Fact]
    public void Task2c_PrefixOfQ_GeometricSuffix_TriggerThenTheSecondSymbol()
    {
        const int q = 20, p = 15;
        var task = new Task2c(q, p);
        var random = new RandomGenerator(13);
        double lengthSum = 0;
        for (int i = 0; i < Draws; i++)
        {
            LongLagSequence s = task.Generate(random);
            int[] symbols = Enumerable.Range(0, s.Length).Select(t => s.SymbolAt(t, p + 4)).ToArray();
            Assert.Equal(task.B, symbols[0]);
            Assert.True(symbols[1] == task.X || symbols[1] == task.Y);
            Assert.Equal(task.E, symbols[^1]);
            Assert.All(symbols[2..^1], a => Assert.InRange(a, 0, p - 1));
            Assert.True(s.Length >= q + 3, "b, x|y, at least q distractors, e");
            Assert.Equal(symbols[1] == task.X ? [1f, 0f] : [0f, 1f], s.Targets);
            lengthSum += s.Length + 1;                             // with the final x|y
        }
        // Length q + 4 + k, k geometric with P(k) = 0.1·0.9^k: mean q + 13.
        Assert.InRange(lengthSum / Draws, q + 13 - 0.6, q + 13 + 0.6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddingAndMultiplication_MarksValuesAndTargetAsThePaper(bool multiplication)
    {
        const int T = 100;
        AddingTask task = multiplication ? new MultiplicationTask(T) : new AddingTask(T);
        var random = new RandomGenerator(14);
        bool sawFirstMarked = false;
        for (int i = 0; i < Draws; i++)
        {
            (LongLagSequence s, int first, int second) = task.GenerateWithMarks(random);
            Assert.InRange(s.Length, T, T + T / 10);
            Assert.InRange(first, 0, 9);
            Assert.InRange(second, 0, T / 2 - 2);
            Assert.NotEqual(first, second);
            for (int t = 0; t < s.Length; t++)
            {
                float value = s.Inputs[2 * t], marker = s.Inputs[2 * t + 1];
                float expected = t == first || t == second ? 1f : t == 0 || t == s.Length - 1 ? -1f : 0f;
                if (marker != expected || value < (multiplication ? 0f : -1f) || value > 1f)
                    Assert.Fail($"sequence {i} step {t}: value {value}, marker {marker}, expected marker {expected}");
            }
            if (first == 0)
            {
                sawFirstMarked = true;
                Assert.Equal(multiplication ? 1f : 0f, s.Inputs[0]);
            }
            float x1 = s.Inputs[2 * first], x2 = s.Inputs[2 * second];
            Assert.Equal(multiplication ? x1 * x2 : 0.5f + (x1 + x2) / 4f, s.Targets.Single());
        }
        Assert.True(sawFirstMarked, "the rare first-pair case was drawn");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void TemporalOrder_EThenRandomWithXYAtThePositionsThenB(int relevant)
    {
        var task = new TemporalOrderTask(relevant);
        var random = new RandomGenerator(15);
        var classes = new int[task.Outputs];
        (int, int)[] ranges = relevant == 2 ? [(10, 20), (50, 60)] : [(10, 20), (33, 43), (66, 76)];
        for (int i = 0; i < Draws / 2; i++)
        {
            (LongLagSequence s, int[] at, int cls) = task.GenerateWithClass(random);
            Assert.InRange(s.Length, 100, 110);
            string text = new(Enumerable.Range(0, s.Length).Select(t => TemporalOrderTask.Symbols[s.SymbolAt(t, 8)]).ToArray());
            Assert.Equal('E', text[0]);
            Assert.Equal('B', text[^1]);
            int code = 0;
            for (int r = 0; r < relevant; r++)
            {
                Assert.InRange(at[r], ranges[r].Item1, ranges[r].Item2);
                Assert.Contains(text[at[r] - 1], "XY");
                code = 2 * code + (text[at[r] - 1] == 'Y' ? 1 : 0);
            }
            Assert.Equal(relevant, text.Count(c => c is 'X' or 'Y'));
            Assert.True(text[1..^1].All(c => c is 'a' or 'b' or 'c' or 'd' or 'X' or 'Y'), text);
            Assert.Equal(code, cls);
            Assert.Equal(1f, s.Targets[cls]);
            Assert.Equal(1f, s.Targets.Sum());
            classes[cls]++;
        }
        Assert.All(classes, c => Assert.True(c > Draws / 2 / task.Outputs / 2));
    }

    [Fact]
    public void AddingTcn_TwoDistinctMarksAnywhere_TargetTheirSum_ConstantBaselineIsASixth()
    {
        var task = new AddingTcnTask(50);
        var random = new RandomGenerator(16);
        double sse = 0;
        var positions = new HashSet<int>();
        for (int i = 0; i < Draws * 2; i++)
        {
            (LongLagSequence s, int first, int second) = task.GenerateWithMarks(random);
            Assert.Equal(50, s.Length);
            Assert.NotEqual(first, second);
            Assert.Equal(2f, Enumerable.Range(0, 50).Sum(t => s.Inputs[2 * t + 1]));
            Assert.All(Enumerable.Range(0, 50), t => Assert.InRange(s.Inputs[2 * t], 0f, 1f));
            Assert.Equal(s.Inputs[2 * first] + s.Inputs[2 * second], s.Targets[0]);
            positions.Add(first);
            positions.Add(second);
            sse += Math.Pow(s.Targets[0] - 1, 2);
        }
        Assert.Equal(50, positions.Count);                     // marks anywhere, not one per half
        Assert.InRange(sse / (Draws * 2), 1 / 6.0 - 0.015, 1 / 6.0 + 0.015);
    }

    [Fact]
    public void CopyMemory_TenDigitsBlanksMarkersAndTheDigitsAgain()
    {
        const int T = 30;
        var task = new CopyMemoryTask(T);
        var random = new RandomGenerator(17);
        for (int i = 0; i < 200; i++)
        {
            (LongLagSequence s, int[] digits) = task.GenerateWithDigits(random);
            Assert.Equal(T + 20, s.Length);
            int[] x = Enumerable.Range(0, s.Length).Select(t => s.SymbolAt(t, 10)).ToArray();
            int[] y = Enumerable.Range(0, s.Length).Select(t => Array.IndexOf(s.Targets, 1f, t * 10, 10) - t * 10).ToArray();
            Assert.Equal(digits, x[..10]);
            Assert.All(digits, d => Assert.InRange(d, 1, 8));
            Assert.All(x[10..(T + 9)], d => Assert.Equal(0, d));
            Assert.All(x[(T + 9)..], d => Assert.Equal(9, d));
            Assert.Equal(11, x.Count(d => d == 9));
            Assert.All(y[..(T + 10)], d => Assert.Equal(0, d));
            Assert.Equal(digits, y[(T + 10)..]);
        }
        Assert.Equal(10 * Math.Log(8) / (T + 20), task.BaselineLoss, 12);
    }

    // Provenance (hand): the layout of the TCN generator with N digits in place of 10: N digits, T − 1 zeros, N + 1 nines.
    [Fact]
    public void CopyMemory_WithThreeDigits_HasTheSameLayoutAtLengthTPlus6()
    {
        const int T = 7, N = 3;
        var task = new CopyMemoryTask(T, N);
        var random = new RandomGenerator(19);
        for (int i = 0; i < 100; i++)
        {
            (LongLagSequence s, int[] digits) = task.GenerateWithDigits(random);
            Assert.Equal(T + 2 * N, s.Length);
            int[] x = Enumerable.Range(0, s.Length).Select(t => s.SymbolAt(t, 10)).ToArray();
            int[] y = Enumerable.Range(0, s.Length).Select(t => Array.IndexOf(s.Targets, 1f, t * 10, 10) - t * 10).ToArray();
            Assert.Equal(N, digits.Length);
            Assert.Equal(digits, x[..N]);
            Assert.All(x[N..(N + T - 1)], d => Assert.Equal(0, d));
            Assert.All(x[(N + T - 1)..], d => Assert.Equal(9, d));
            Assert.All(y[..(T + N)], d => Assert.Equal(0, d));
            Assert.Equal(digits, y[(T + N)..]);
        }
        Assert.Equal(3 * Math.Log(8) / (T + 6), task.BaselineLoss, 12);
        Assert.Equal(N, task.RecallSteps);
        Assert.Throws<ArgumentException>(() => new CopyMemoryTask(T, 0));
        Assert.Throws<ArgumentException>(() => new CopyMemoryTask(T, 11));
    }

    [Fact]
    public void Generators_SameSeedSameSequences()
    {
        foreach (string name in LongLagOptions.TaskNames.Where(n => n != "reber"))
        {
            LongLagTask task = new LongLagOptions { Task = name, P = 10, Q = 10, T = 40 }.CreateTask();
            LongLagSequence a = task.Generate(new RandomGenerator(18)), b = task.Generate(new RandomGenerator(18));
            Assert.Equal(a.Inputs, b.Inputs);
            Assert.Equal(a.Targets, b.Targets);
        }
    }

    [Fact]
    public void BadParameters_NameTheOption()
    {
        Assert.Contains("--p", Assert.Throws<ArgumentException>(() => new Task2a(1)).Message, StringComparison.Ordinal);
        Assert.Contains("--q", Assert.Throws<ArgumentException>(() => new Task2c(0, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("--T", Assert.Throws<ArgumentException>(() => new AddingTask(10)).Message, StringComparison.Ordinal);
        Assert.Contains("--symbols", Assert.Throws<ArgumentException>(() => new TemporalOrderTask(4)).Message, StringComparison.Ordinal);
        Assert.Contains("--task", Assert.Throws<ArgumentException>(() => new LongLagOptions { Task = "3a" }.CreateTask()).Message, StringComparison.Ordinal);
    }
}
