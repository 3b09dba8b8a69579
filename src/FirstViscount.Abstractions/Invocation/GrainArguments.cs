using System.Text.Json;

namespace FirstViscount.Invocation;

/// <summary>Reading helpers for the JSON argument array of a request (used by generated code).</summary>
public static class GrainArguments
{
    public static void ReadStart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.None && !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Grain call arguments must be a JSON array.");
        }
    }

    /// <summary>Moves to the next argument; false at the end of the array (an older caller sent fewer).</summary>
    public static bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Grain call arguments ended early.");
        }
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Skips arguments this version does not know (a newer caller sent more).</summary>
    public static void ReadEnd(ref Utf8JsonReader reader, bool atEnd)
    {
        while (!atEnd)
        {
            reader.Skip();
            atEnd = !Next(ref reader);
        }
    }
}
