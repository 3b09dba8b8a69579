using System.Globalization;
using System.Text;

namespace FirstViscount.Redis.Client;

/// <summary>The kinds of RESP2 reply.</summary>
public enum RespType { SimpleString, Error, Integer, BulkString, Array }

/// <summary>One RESP reply. Null bulk strings and null arrays have <see cref="IsNull"/> set.</summary>
public sealed class RespValue
{
    private RespValue(RespType type, byte[]? bytes, long integer, RespValue[]? items, bool isNull)
    {
        Type = type;
        Bytes = bytes;
        Integer = integer;
        Items = items;
        IsNull = isNull;
    }

    public RespType Type { get; }

    public byte[]? Bytes { get; }

    public long Integer { get; }

    public RespValue[]? Items { get; }

    public bool IsNull { get; }

    public static RespValue Simple(byte[] text) => new(RespType.SimpleString, text, 0, null, false);

    public static RespValue Error(byte[] text) => new(RespType.Error, text, 0, null, false);

    public static RespValue Int(long value) => new(RespType.Integer, null, value, null, false);

    public static RespValue Bulk(byte[]? bytes) => new(RespType.BulkString, bytes, 0, null, bytes is null);

    public static RespValue List(RespValue[]? items) => new(RespType.Array, null, 0, items, items is null);

    /// <summary>The text of a string reply, or the decimal text of an integer; null for a null reply.</summary>
    public string? AsString() => Type switch
    {
        RespType.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        RespType.Array => throw new RedisProtocolException("Expected a string reply but got an array."),
        _ => Bytes is null ? null : Encoding.UTF8.GetString(Bytes),
    };

    public long AsInteger() => Type switch
    {
        RespType.Integer => Integer,
        RespType.BulkString or RespType.SimpleString when long.TryParse(AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new RedisProtocolException($"Expected an integer reply but got {Type}."),
    };

    public RespValue[] AsArray() => Type == RespType.Array && Items is not null ? Items : throw new RedisProtocolException($"Expected an array reply but got {Type}.");

    public override string ToString() => Type == RespType.Array ? $"[{string.Join(", ", Items ?? [])}]" : AsString() ?? "(nil)";
}
