using Mooring.Hosting;
using Mooring.Samples.TmpfsVolume;

return await VolumePluginHost.RunAsync<TmpfsVolumeDriver>(args);
