// Mooring.Oci.OciException is the one coded exception of the tasks, the push settings and the Oci library (MooringTask logs
// its Code and help link). This alias keeps the older spelling compiling in files that other branches are rewriting
// (Manifest/, Docker/, Rootfs/, Tasks/PluginConfig.cs); new code throws OciException. Delete the alias once they have merged.
global using PluginBuildException = Mooring.Oci.OciException;
