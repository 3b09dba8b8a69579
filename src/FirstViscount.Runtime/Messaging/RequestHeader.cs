using System.Buffers;

namespace FirstViscount.Messaging;

/// <summary>The routing part of a request frame; the JSON argument array follows it.</summary>
internal readonly record struct RequestHeader(long CallId, GrainId GrainId, string InterfaceName, string MethodKey, bool Cancellable)
{
    public void Write(IBufferWriter<byte> output)
    {
        FrameWriter.WriteByte(output, (byte)FrameKind.Request);
        FrameWriter.WriteInt64(output, CallId);
        FrameWriter.WriteByte(output, Cancellable ? (byte)1 : (byte)0);
        FrameWriter.WriteString(output, GrainId.Type);
        FrameWriter.WriteString(output, GrainId.Key);
        FrameWriter.WriteString(output, InterfaceName);
        FrameWriter.WriteString(output, MethodKey);
    }

    /// <summary>Reads the header after the kind byte.</summary>
    public static RequestHeader Read(ref FrameReader reader)
    {
        var callId = reader.ReadInt64();
        var cancellable = reader.ReadByte() != 0;
        var grainId = new GrainId(reader.ReadString(), reader.ReadString());
        return new RequestHeader(callId, grainId, reader.ReadString(), reader.ReadString(), cancellable);
    }
}
