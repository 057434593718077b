using Mooring.Hosting;
using Mooring.Samples.LocalVolume;

return await VolumePluginHost.RunAsync<LocalVolumeDriver>(args);
