using System.Buffers;
using System.Text;
using FirstViscount.Redis.Client;

namespace FirstViscount.Cluster.Tests.Redis;

[Trait("Category", "Cluster")]
public sealed class RespParserTests
{
    private static RespValue? Parse(string wire, out long consumed)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire)));
        var parsed = RespParser.TryParse(ref reader, out var value);
        consumed = reader.Consumed;
        return parsed ? value : null;
    }

    [Fact]
    public void Every_reply_type_parses()
    {
        Assert.Equal("OK", Parse("+OK\r\n", out _)!.AsString());
        Assert.Equal(RespType.Error, Parse("-ERR bad\r\n", out _)!.Type);
        Assert.Equal(-42, Parse(":-42\r\n", out _)!.AsInteger());
        Assert.Equal("a\r\nb", Parse("$4\r\na\r\nb\r\n", out _)!.AsString());
        Assert.True(Parse("$-1\r\n", out _)!.IsNull);
        Assert.True(Parse("*-1\r\n", out _)!.IsNull);
        var array = Parse("*3\r\n:1\r\n$1\r\nx\r\n*0\r\n", out _)!.AsArray();
        Assert.Equal(1, array[0].AsInteger());
        Assert.Equal("x", array[1].AsString());
        Assert.Empty(array[2].AsArray());
    }

    [Theory]
    [InlineData("$5\r\nhel")]
    [InlineData("*2\r\n:1\r\n")]
    [InlineData("+OK")]
    [InlineData("")]
    public void An_incomplete_reply_waits_for_more_bytes_without_consuming(string wire)
    {
        Assert.Null(Parse(wire, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("!oops\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData("$-7\r\n")]
    [InlineData("$3\r\nabcde\r\n")]
    [InlineData("*99999999999\r\n")]
    public void A_malformed_reply_is_a_protocol_error(string wire)
    {
        Assert.Throws<RedisProtocolException>(() => Parse(wire, out _));
    }
}
