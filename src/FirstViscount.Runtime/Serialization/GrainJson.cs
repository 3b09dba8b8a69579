using System.Text.Json;
using FirstViscount.Invocation;

namespace FirstViscount.Serialization;

/// <summary>The JSON settings for call arguments, results and grain state. Unknown members are ignored (rolling upgrades).</summary>
internal static class GrainJson
{
    public static JsonSerializerOptions Create(Func<IGrainCallInvoker> invoker)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            Converters = { new GrainReferenceConverterFactory(invoker) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
