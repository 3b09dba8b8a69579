using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FirstViscount.Messaging;

/// <summary>Frame kinds on the wire between silos.</summary>
internal enum FrameKind : byte { Request = 1, Response = 2, Cancel = 3 }

/// <summary>How a response ended.</summary>
internal enum ResponseStatus : byte
{
    Ok = 0,
    Error = 1,
    /// <summary>The callee did not start the request (not the owner, shutting down): safe to send elsewhere.</summary>
    Rejected = 2,
    Canceled = 3,
}

/// <summary>Writes the binary parts of frames: fixed-width integers and length-prefixed UTF-8 strings.</summary>
internal static class FrameWriter
{
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(output, length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }
}

/// <summary>Reads frame parts; a truncated or malformed frame throws <see cref="FormatException"/>.</summary>
internal ref struct FrameReader(ReadOnlySpan<byte> frame)
{
    private ReadOnlySpan<byte> rest = frame;

    public readonly ReadOnlySpan<byte> Rest => rest;

    public byte ReadByte()
    {
        Require(1);
        var value = rest[0];
        rest = rest[1..];
        return value;
    }

    public long ReadInt64()
    {
        Require(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(rest);
        rest = rest[8..];
        return value;
    }

    public int ReadInt32()
    {
        Require(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[4..];
        return value;
    }

    public string ReadString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            throw new FormatException("Negative string length in a frame.");
        }
        Require(length);
        var value = Encoding.UTF8.GetString(rest[..length]);
        rest = rest[length..];
        return value;
    }

    private readonly void Require(int count)
    {
        if (rest.Length < count)
        {
            throw new FormatException("Frame ended early.");
        }
    }
}
