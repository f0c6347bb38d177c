// The arithmetic of Adam's update (LstmLab.Training.Adam) as a stand-alone AVX2 loop over 35,300 floats
// (echo-lag-context's weights), timed with and without its square root and division, to tell whether the
// pass is bound by them or by memory. Run: dotnet run benchmarks/adam-loop/adam_loop.cs
#:property AllowUnsafeBlocks=true
#:property Optimize=true
using System.Diagnostics;
using System.Runtime.Intrinsics;
unsafe
{
    int n = 35300;
    float[] p = new float[n], g = new float[n], m = new float[n], v = new float[n];
    var r = new Random(1);
    for (int i = 0; i < n; i++) { p[i] = (float)r.NextDouble(); g[i] = (float)r.NextDouble() - 0.5f; }
    double Run(int mode)
    {
        fixed (float* pp = p, pg = g, pm = m, pv = v)
        {
            var a = Vector256.Create(0.001f); var b1 = Vector256.Create(0.9f); var c1 = Vector256.Create(0.1f); var b2 = Vector256.Create(0.999f); var c2 = Vector256.Create(0.001f); var e = Vector256.Create(1e-7f);
            long best = long.MaxValue;
            for (int rep = 0; rep < 3000; rep++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i + 8 <= n; i += 8)
                {
                    var gg = Vector256.Load(pg + i);
                    var mt = b1 * Vector256.Load(pm + i) + c1 * gg;
                    var vt = b2 * Vector256.Load(pv + i) + (c2 * gg) * gg;
                    Vector256<float> step = mode switch { 0 => (a * mt) / (Vector256.Sqrt(vt) + e), 1 => (a * mt) * (vt + e), 2 => (a * mt) / (vt + e), _ => (a * mt) * (Vector256.Sqrt(vt) + e) };
                    (Vector256.Load(pp + i) - step).Store(pp + i);
                    mt.Store(pm + i); vt.Store(pv + i);
                }
                long t = Stopwatch.GetTimestamp() - t0;
                if (t < best) best = t;
            }
            return best * 1e6 / Stopwatch.Frequency;
        }
    }
    for (int k = 0; k < 2; k++)
        Console.WriteLine($"full {Run(0):F2} us   no sqrt/div {Run(1):F2} us   div only {Run(2):F2} us   sqrt only {Run(3):F2} us");
}
