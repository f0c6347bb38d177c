using BenchmarkDotNet.Running;

// Pick benchmarks with --filter (e.g. --filter '*Gemm*'); with no arguments BenchmarkDotNet lists them.
BenchmarkSwitcher.FromAssembly(typeof(LstmLab.Benchmarks.GemmBenchmarks).Assembly).Run(args);
