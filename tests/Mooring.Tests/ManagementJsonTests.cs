using System.Text;
using System.Text.Json;
using Mooring.Hosting.Management;
using Mooring.Protocol;

namespace Mooring.Tests;

/// <summary>
/// The management socket's bodies (sdk/Mooring/Hosting/Management/ManagementJson.cs) as the plugin writes them and its
/// <c>ctl</c> client reads them: camelCase, nothing written for a null, names read in any case, unknown fields skipped,
/// and everything the plugin writes read back the same.
/// </summary>
public sealed class ManagementJsonTests
{
    [Fact]
    public void Health_is_camelCase_and_leaves_out_what_is_not_known()
    {
        var answer = new HealthAnswer { Status = "starting", Version = "1.2.3", UptimeSeconds = 0.125, Driver = "D" };

        Assert.Equal("""{"status":"starting","version":"1.2.3","uptimeSeconds":0.125,"driver":"D"}""", Text(answer, ManagementJson.Write));
        var read = Read("""{"STATUS":"ready","Model":"managed","uptimeSeconds":null,"future":{"a":[1]}}""", ManagementJson.ReadHealthAnswer)!;
        Assert.Equal(("ready", "managed", null), (read.Status, read.Model, read.UptimeSeconds));
    }

    [Fact]
    public void Volumes_are_read_back_as_written()
    {
        var answer = new VolumesAnswer
        {
            Volumes =
            [
                new VolumeEntry { Name = "v1", Phase = "ready", CreatedAt = "2026-12-03T10:00:00Z", Options = new Dictionary<string, string> { ["size"] = "1G" }, Mounts = new Dictionary<string, int> { ["id1"] = 2 }, TotalMounts = 2 },
                new VolumeEntry { Name = "café <'x'>" },
            ],
            Unavailable = [new UnavailableEntry { Name = "u", Path = "/p/u.json", Reason = "is not valid JSON" }],
        };

        var text = Text(answer, ManagementJson.Write);
        var read = Read(text, ManagementJson.ReadVolumesAnswer)!;

        Assert.Contains("\"name\":\"café <'x'>\"", text, StringComparison.Ordinal); // the relaxed encoder: readable
        Assert.DoesNotContain("options\":null", text, StringComparison.Ordinal);
        Assert.Equal(2, read.Volumes!.Count);
        var first = read.Volumes[0]!;
        Assert.Equal(("v1", "ready", "2026-12-03T10:00:00Z", 2), (first.Name, first.Phase, first.CreatedAt, first.TotalMounts));
        Assert.Equal("1G", first.Options!["size"]);
        Assert.Equal(2, first.Mounts!["id1"]);
        Assert.Equal("café <'x'>", read.Volumes[1]!.Name);
        Assert.Null(read.Volumes[1]!.Mounts);
        Assert.Equal(("u", "/p/u.json", "is not valid JSON"), (read.Unavailable![0]!.Name, read.Unavailable[0]!.Path, read.Unavailable[0]!.Reason));
    }

    [Fact]
    public void Reconcile_forget_and_log_level_answers_are_read_back_as_written()
    {
        var reconcile = Read(Text(new ReconcileAnswer { Cleared = [new ClearedEntry { Volume = "v", Mounts = 3 }], Confirmed = ["a"], Unverified = [], Orphans = ["/m/x"] }, ManagementJson.Write), ManagementJson.ReadReconcileAnswer)!;
        var forget = Read(Text(new ForgetAnswer { Volume = "v", Released = 1, TotalMounts = 0 }, ManagementJson.Write), ManagementJson.ReadForgetAnswer)!;
        var level = Read(Text(new LogLevelBody { Level = "debug" }, ManagementJson.Write), ManagementJson.ReadLogLevelAnswer)!;

        Assert.Equal(("v", 3), (reconcile.Cleared![0]!.Volume, reconcile.Cleared[0]!.Mounts));
        Assert.Equal(["a"], reconcile.Confirmed!);
        Assert.Empty(reconcile.Unverified!);
        Assert.Equal(["/m/x"], reconcile.Orphans!);
        Assert.Equal(("v", 1, 0), (forget.Volume, forget.Released, forget.TotalMounts));
        Assert.Equal("debug", level.Level);
    }

    [Fact]
    public void Operations_and_their_answers_are_read_back_as_written()
    {
        var operations = new OperationsAnswer
        {
            Operations = [new OperationEntry { Name = "snapshot", Description = "Takes one", Volume = true, Arguments = [new ArgumentEntry { Name = "keep", Type = "int", Required = false }] }],
        };

        var read = Read(Text(operations, ManagementJson.Write), ManagementJson.ReadOperationsAnswer)!.Operations![0]!;
        var result = Read(Text(new OperationAnswer { Result = new Dictionary<string, string> { ["id"] = "s1" } }, ManagementJson.Write), ManagementJson.ReadOperationAnswer)!;

        Assert.Equal(("snapshot", "Takes one", true), (read.Name, read.Description, read.Volume));
        Assert.Equal(("keep", "int", false, null), (read.Arguments![0]!.Name, read.Arguments[0]!.Type, read.Arguments[0]!.Required, read.Arguments[0]!.Description));
        Assert.Equal("s1", result.Result!["id"]);
        Assert.Equal("""{"result":null}""", Text(new OperationAnswer(), ManagementJson.Write));
    }

    [Fact]
    public void Requests_the_client_writes_are_read_by_the_plugin_in_any_case()
    {
        var forget = new ForgetRequest();
        Assert.True(RequestReader.TryRead(Encoding.UTF8.GetBytes(Text(new ForgetRequest { Volume = "v", Id = "i" }, ManagementJson.Write)), "'volume'", forget, ManagementJson.ReadForgetRequest, out var error), error);
        Assert.Equal(("v", "i"), (forget.Volume, forget.Id));

        var operation = new OperationRequest();
        Assert.True(RequestReader.TryRead("""{"VOLUME":"v","Arguments":{"keep":"3","x":null},"other":[1]}"""u8, "'volume'", operation, ManagementJson.ReadOperationRequest, out error), error);
        Assert.Equal("v", operation.Volume);
        Assert.Equal(new Dictionary<string, string?> { ["keep"] = "3", ["x"] = null }, operation.Arguments);
    }

    [Theory]
    [InlineData("""{"volume":["v"]}""", "field 'volume' must be a string")]
    [InlineData("""{"volume":"v","id":{}}""", "field 'id' must be a string")]
    [InlineData("""{"volume":"\ud800"}""", "field 'volume' could not be read: ")]
    [InlineData("[]", "request body must be a JSON object, got an array")]
    public void A_request_field_of_the_wrong_type_is_named(string body, string message)
    {
        Assert.False(RequestReader.TryRead(Encoding.UTF8.GetBytes(body), "'volume'", new ForgetRequest(), ManagementJson.ReadForgetRequest, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"volumes":{"v":1}}""")]
    [InlineData("""{"volumes":[{"mounts":{"id":"1"}}]}""")]
    public void An_answer_the_client_cannot_read_is_refused_with_a_JsonException(string body)
        => Assert.True(Assert.ThrowsAny<JsonException>(() => Read(body, ManagementJson.ReadVolumesAnswer) ?? throw new JsonException("the answer is null")).Message.Length > 0);

    private static string Text<T>(T value, Action<Utf8JsonWriter, T> write) => Encoding.UTF8.GetString(JsonBody.Write(value, write));

    private static T Read<T>(string json, ElementReader<T> read) => JsonFields.Read(Encoding.UTF8.GetBytes(json), read);
}
