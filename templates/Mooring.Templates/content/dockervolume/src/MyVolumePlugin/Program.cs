using Mooring.Hosting;
using TemplateNamespace;

// Listens on /run/docker/plugins/<socket> and runs until dockerd stops the plugin (SIGTERM).
// Run it by hand with: dotnet run -- --socket /tmp/plugin.sock --data-root /tmp/plugin-data
return await VolumePluginHost.RunAsync<TemplateClassDriver>(args);
