#:project ../../src/LstmLab/LstmLab.csproj
#:property Configuration=Release
// The LSTM's training step alone, timed in CPU time (Process.TotalProcessorTime) rather than wall time, which
// a shared, overloaded machine disturbs far less: the check that moving the LSTM onto the shared recurrent
// loop left its speed as it was. Run it here and in a checkout of the commit before (d3d7c25), alternately:
//     dotnet run -c Release tools/layer-cost/lstm-cpu-time.cs -- 9
// (copy the file there: it uses only the API both have). Prints the fastest of REPEATS rounds of 300 steps.
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
};
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}; CPU time, fastest of {repeats} rounds of 300 steps"));
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
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < 300; i++)
                models[l].TrainOnBatch(x, y);
            best[l] = Math.Min(best[l], (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / 300);
        }
    }
    Console.WriteLine($"| {shape.Name} | µs/step | × LSTM |");
    Console.WriteLine("| --- | --- | --- |");
    for (int l = 0; l < layers.Length; l++)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {layers[l].Name} | {best[l]:F0} | {best[l] / best[0]:F2} |"));
}
