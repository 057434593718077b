namespace Mooring.Build.Push;

/// <summary>A push property the user must fix; logged as <see cref="PushErrorCodes.BadSetting"/>.</summary>
internal sealed class PushSettingException(string message) : Exception(message);
