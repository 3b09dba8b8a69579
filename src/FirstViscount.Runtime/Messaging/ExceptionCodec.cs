using System.Reflection;
using System.Text.Json;

namespace FirstViscount.Messaging;

/// <summary>
/// Carries an exception across silos as type name, message and stack trace. On arrival the same exception
/// type is recreated when it is loaded here and has a (string message) constructor; otherwise the caller
/// gets a <see cref="RemoteGrainException"/> naming the original type.
/// </summary>
internal static class ExceptionCodec
{
    public static void Write(Utf8JsonWriter writer, Exception error)
    {
        writer.WriteStartObject();
        writer.WriteString("type", error.GetType().FullName);
        writer.WriteString("assembly", error.GetType().Assembly.GetName().Name);
        writer.WriteString("message", error.Message);
        writer.WriteString("stack", error.StackTrace);
        writer.WriteEndObject();
    }

    public static Exception Read(ref Utf8JsonReader reader)
    {
        string? type = null, assembly = null, message = null, stack = null;
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            switch (name)
            {
                case "type": type = value; break;
                case "assembly": assembly = value; break;
                case "message": message = value; break;
                case "stack": stack = value; break;
                default: reader.Skip(); break;
            }
        }
        return Recreate(type ?? "System.Exception", assembly, message ?? "", stack);
    }

    private static Exception Recreate(string typeName, string? assemblyName, string message, string? stack)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == assemblyName);
        var type = loaded?.GetType(typeName, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type) && type != typeof(RemoteGrainException)
            && type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string)]) is { } constructor)
        {
            try
            {
                return (Exception)constructor.Invoke([message]);
            }
            catch (TargetInvocationException)
            {
                // Fall through: the type exists but will not take a plain message.
            }
        }
        return new RemoteGrainException(typeName, message, stack);
    }
}
