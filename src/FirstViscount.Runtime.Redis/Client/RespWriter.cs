using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace FirstViscount.Redis.Client;

/// <summary>Writes commands as RESP arrays of bulk strings.</summary>
public static class RespWriter
{
    public static void WriteCommand(IBufferWriter<byte> output, IReadOnlyList<RedisArgument> arguments)
    {
        WriteHeader(output, (byte)'*', arguments.Count);
        foreach (var argument in arguments)
        {
            var bytes = argument.Bytes;
            WriteHeader(output, (byte)'$', bytes.Length);
            output.Write(bytes.Span);
            output.Write("\r\n"u8);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int length)
    {
        var span = output.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }
}

/// <summary>One command argument: text (UTF-8), a number, or raw bytes.</summary>
public readonly struct RedisArgument
{
    private RedisArgument(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    public ReadOnlyMemory<byte> Bytes { get; }

    public static implicit operator RedisArgument(string text) => new(Encoding.UTF8.GetBytes(text));

    public static implicit operator RedisArgument(byte[] bytes) => new(bytes);

    public static implicit operator RedisArgument(long number) => new(Encoding.ASCII.GetBytes(number.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span);
}
