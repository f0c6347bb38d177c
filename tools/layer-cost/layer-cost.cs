#:project ../../src/LstmLab/LstmLab.csproj
#:property Configuration=Release
// What one training step (forward, loss, backward, Adam update: Sequential.TrainOnBatch) costs with each
// recurrent layer, next to the LSTM. Run by hand: dotnet run -c Release tools/layer-cost/layer-cost.cs [-- REPEATS]
// Each case: a model Input → LAYER → Dense(softmax), categorical cross-entropy; 50 warm-up steps, then the
// fastest of REPEATS (default 7) rounds of 100 steps, the cases taking turns in each round (the machine is
// shared, so the fastest round is the least disturbed), in microseconds per step.
using System.Diagnostics;
using System.Globalization;
using LstmLab;
using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;

int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var shapes = new (string Name, int Batch, int Steps, int Features, int Units)[]
{
    ("echo lag-context (B 5, T 5, F 100, u 50)", 5, 5, 100, 50),
    ("B 32, T 20, F 8, u 32", 32, 20, 8, 32),
};
var layers = new (string Name, Func<int, Layer> Make)[]
{
    ("LSTM", u => new Lstm(u)),
    ("GRU (reset_after)", u => new Gru(u)),
    ("GRU (reset_after=False)", u => new Gru(u, resetAfter: false)),
    ("SimpleRNN", u => new SimpleRnn(u)),
    ("LSTM go_backwards", u => new Lstm(u, goBackwards: true)),
    ("LSTM dropout 0.2, recurrent 0.2", u => new Lstm(u, dropout: 0.2, recurrentDropout: 0.2)),
    ("Bidirectional(LSTM)", u => new Bidirectional(new Lstm(u))),
};
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}; fastest of {repeats} rounds of 100 steps, the cases taking turns within each round"));
foreach (var shape in shapes)
{
    var random = new RandomGenerator(1);
    var x = new Tensor(shape.Batch, shape.Steps, shape.Features);
    var y = new Tensor(shape.Batch, shape.Features);
    for (int i = 0; i < x.Size; i++)
        x.Span[i] = (float)random.NextUniform(-1, 1);
    for (int b = 0; b < shape.Batch; b++)
        y[b, random.NextInt(shape.Features)] = 1f;
    var models = new Sequential[layers.Length];
    for (int l = 0; l < layers.Length; l++)
    {
        models[l] = new Sequential(SampleShape.Sequence(shape.Steps, shape.Features), seed: 1);
        models[l].Add(layers[l].Make(shape.Units)).Add(new Dense(shape.Features, Activation.Softmax));
        models[l].Compile(Loss.CategoricalCrossentropy, new Adam(), "accuracy");
        for (int i = 0; i < 50; i++)
            models[l].TrainOnBatch(x, y);
    }
    var best = Enumerable.Repeat(double.MaxValue, layers.Length).ToArray();
    for (int r = 0; r < repeats; r++)
    {
        for (int l = 0; l < layers.Length; l++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 100; i++)
                models[l].TrainOnBatch(x, y);
            best[l] = Math.Min(best[l], clock.Elapsed.TotalMicroseconds / 100);
        }
    }
    Console.WriteLine($"| {shape.Name} | µs/step | × LSTM |");
    Console.WriteLine("| --- | --- | --- |");
    for (int l = 0; l < layers.Length; l++)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {layers[l].Name} | {best[l]:F0} | {best[l] / best[0]:F2} |"));
}
