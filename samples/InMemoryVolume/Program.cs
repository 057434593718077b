using Mooring.Hosting;
using Mooring.Samples.InMemoryVolume;

// Run it by hand with: dotnet run -- --socket /tmp/plugin.sock --data-root /tmp/plugin-data
return await VolumePluginHost.RunAsync<InMemoryVolumeDriver>(args);
