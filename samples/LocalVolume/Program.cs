using Mooring.Hosting;
using Mooring.Samples.LocalVolume;

// Listens on /run/docker/plugins/<socket> and runs until dockerd stops the plugin (SIGTERM).
// Run it by hand with: dotnet run -- --socket /tmp/plugin.sock --data-root /tmp/plugin-data
return await VolumePluginHost.RunAsync<LocalVolumeDriver>(args);
