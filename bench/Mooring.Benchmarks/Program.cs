using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Mooring.Benchmarks.DispatchBenchmarks).Assembly).Run(args);
