using LstmLab.Experiments.LongLag;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Experiments.Tests.LongLag;

/// <summary>
/// Chrono initialization against its definition (Tallec &amp; Ollivier 2018, Section 4: b_f ~ log(U[1, T_max − 1]),
/// b_i = −b_f): the values are checked from the definition itself, the draws replayed from the same seeded stream.
/// </summary>
public sealed class GateBiasInitTests
{
    private static Lstm Built(int units, int features = 3)
    {
        var model = new Sequential(SampleShape.Sequence(4, features), batchSize: 1, seed: 7);
        var lstm = new Lstm(units, returnSequences: true);
        model.Add(lstm);
        model.Compile(Loss.MeanSquaredError, new Adam());
        return lstm;
    }

    [Fact]
    public void Chrono_SetsForgetBiasesToLogUniformDrawsAndInputBiasesToTheirNegatives()
    {
        const int units = 64;
        const double tMax = 1000;
        Lstm lstm = Built(units);
        float[] before = lstm.Cell.Bias.Value.ToArray();
        GateBiasInit.Chrono(lstm, tMax, new RandomGenerator(42));
        float[] bias = lstm.Cell.Bias.Value.ToArray();
        var replay = new RandomGenerator(42);
        // Provenance (cited): Keras's LSTM bias order i, f, c, o, so blocks 0-3 of `units` each; chrono's definition from Tallec & Ollivier 2018, section 4.
        for (int j = 0; j < units; j++)
        {
            double u = 1 + (tMax - 2) * replay.NextDouble();
            Assert.Equal((float)Math.Log(u), bias[units + j]);
            Assert.Equal(-bias[units + j], bias[j]);
            Assert.InRange(bias[units + j], 0f, (float)Math.Log(tMax - 1));
            Assert.Equal(before[2 * units + j], bias[2 * units + j]);   // the cell candidate's bias is untouched
            Assert.Equal(before[3 * units + j], bias[3 * units + j]);   // and the output gate's
        }
        // Spread: ln U[1, 999] has median ln 500 ≈ 6.2; 64 draws are not all on one side of 3 (u = 20).
        Assert.Contains(bias[units..(2 * units)], b => b > 3);
        Assert.Contains(bias[units..(2 * units)], b => b < 6);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Chrono_RefusesATMaxBelowThree(double tMax)
    {
        var e = Assert.Throws<ArgumentException>(() => GateBiasInit.Chrono(Built(4), tMax, new RandomGenerator(1)));
        Assert.Contains("--chrono", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongLagOptions_RefuseChronoWithForgetBias()
    {
        var e = Assert.Throws<ArgumentException>(() => new LongLagOptions { Task = "adding", Chrono = 100, ForgetBias = 5 }.Validate());
        Assert.Contains("--forget-bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunTrial_WithChrono_IsReproducible()
    {
        var options = new LongLagOptions { Task = "adding", T = 20, Chrono = 20, MaxSequences = 300 };
        LongLagTrial a = LongLagRunner.RunTrial(options, 3);
        LongLagTrial b = LongLagRunner.RunTrial(options, 3);
        Assert.Equal(a.Progress, b.Progress);
        Sequential m1 = LongLagRunner.BuildModel(options.CreateTask(), options, 3);
        Sequential m2 = LongLagRunner.BuildModel(options.CreateTask(), options, 4);
        float[] b1 = ((Lstm)m1.Layers[0]).Cell.Bias.Value.ToArray(), b2 = ((Lstm)m2.Layers[0]).Cell.Bias.Value.ToArray();
        Assert.NotEqual(b1, b2);   // each trial draws its own time constants
    }
}
