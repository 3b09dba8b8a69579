using System.Text.Json;
using System.Text.Json.Serialization;
using FirstViscount.Invocation;

namespace FirstViscount.Serialization;

/// <summary>Writes a grain reference as its interface, grain type and key; reads it back as a proxy of this runtime.</summary>
internal sealed class GrainReferenceConverterFactory(Func<IGrainCallInvoker> invoker) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeof(IGrain).IsAssignableFrom(typeToConvert) && (typeToConvert.IsInterface || typeof(GrainReference).IsAssignableFrom(typeToConvert));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(GrainReferenceConverter<>).MakeGenericType(typeToConvert), invoker)!;

    private sealed class GrainReferenceConverter<T>(Func<IGrainCallInvoker> invoker) : JsonConverter<T>
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return default;
            }
            var (interfaceName, grainType, key) = JsonSerializer.Deserialize<WireReference>(ref reader)
                ?? throw new JsonException("A grain reference must be an object.");
            var grainInterface = GrainCodeRegistry.FindInterface(interfaceName)
                ?? throw new JsonException($"Unknown grain interface '{interfaceName}' in a grain reference.");
            var proxy = GrainCodeRegistry.GetProxyFactory(grainInterface)(new GrainId(grainType, key), invoker());
            return proxy is T typed ? typed : throw new JsonException($"A reference to {interfaceName} is not a {typeof(T).Name}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (value is not GrainReference reference)
            {
                throw new JsonException($"Only grain references can be sent as {typeof(T).Name}; pass a reference from IGrainFactory, not a grain instance.");
            }
            JsonSerializer.Serialize(writer, new WireReference(reference.InterfaceType.FullName!, reference.GrainId.Type, reference.GrainId.Key));
        }
    }

    private sealed record WireReference(string Interface, string Type, string Key);
}
