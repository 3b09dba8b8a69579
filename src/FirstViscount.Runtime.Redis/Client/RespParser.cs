using System.Buffers;
using System.Buffers.Text;

namespace FirstViscount.Redis.Client;

/// <summary>
/// Parses RESP2 replies from a buffer that may hold a partial reply. Anything that is not RESP throws
/// <see cref="RedisProtocolException"/>, so a confused peer never makes a caller wait forever.
/// </summary>
public static class RespParser
{
    private const int MaxBulkLength = 512 * 1024 * 1024;
    private const int MaxArrayLength = 16 * 1024 * 1024;

    /// <summary>Parses one complete reply; false (reader unmoved) if more bytes are needed.</summary>
    public static bool TryParse(ref SequenceReader<byte> reader, out RespValue value)
    {
        var consumedBefore = reader.Consumed;
        if (TryParseValue(ref reader, out value!))
        {
            return true;
        }
        reader.Rewind(reader.Consumed - consumedBefore);
        return false;
    }

    private static bool TryParseValue(ref SequenceReader<byte> reader, out RespValue? value)
    {
        value = null;
        if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
        {
            return false;
        }
        switch (prefix)
        {
            case (byte)'+':
                value = RespValue.Simple(line.ToArray());
                return true;
            case (byte)'-':
                value = RespValue.Error(line.ToArray());
                return true;
            case (byte)':':
                value = RespValue.Int(ParseInteger(line));
                return true;
            case (byte)'$':
                return TryParseBulk(ref reader, ParseLength(line, MaxBulkLength), out value);
            case (byte)'*':
                return TryParseArray(ref reader, ParseLength(line, MaxArrayLength), out value);
            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{prefix:X2}.");
        }
    }

    private static bool TryParseBulk(ref SequenceReader<byte> reader, long length, out RespValue? value)
    {
        value = null;
        if (length < 0)
        {
            value = RespValue.Bulk(null);
            return true;
        }
        if (reader.Remaining < length + 2)
        {
            return false;
        }
        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new RedisProtocolException("A bulk string was not terminated by CRLF.");
        }
        value = RespValue.Bulk(bytes);
        return true;
    }

    private static bool TryParseArray(ref SequenceReader<byte> reader, long count, out RespValue? value)
    {
        value = null;
        if (count < 0)
        {
            value = RespValue.List(null);
            return true;
        }
        var items = new RespValue[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryParseValue(ref reader, out var item))
            {
                return false;
            }
            items[i] = item!;
        }
        value = RespValue.List(items);
        return true;
    }

    private static long ParseLength(ReadOnlySequence<byte> line, long max)
    {
        var length = ParseInteger(line);
        return length >= -1 && length <= max ? length : throw new RedisProtocolException($"RESP length {length} is out of range.");
    }

    private static long ParseInteger(ReadOnlySequence<byte> line)
    {
        Span<byte> buffer = stackalloc byte[24];
        if (line.Length > buffer.Length)
        {
            throw new RedisProtocolException("A RESP integer is too long.");
        }
        line.CopyTo(buffer);
        var text = buffer[..(int)line.Length];
        return Utf8Parser.TryParse(text, out long value, out var consumed) && consumed == text.Length
            ? value
            : throw new RedisProtocolException($"'{System.Text.Encoding.ASCII.GetString(text)}' is not a RESP integer.");
    }
}
