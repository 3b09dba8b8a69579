using FirstViscount.EventSourcing;

namespace FirstViscount;

/// <summary>An append found its stream at another version than expected: someone else appended first.</summary>
public sealed class WrongExpectedVersionException : InconsistentStateException
{
    public WrongExpectedVersionException(string streamId, ExpectedVersion expected, Exception? innerException = null)
        : base($"Stream '{streamId}' is not at the expected {expected}.", innerException)
    {
        StreamId = streamId;
        Expected = expected;
    }

    public string StreamId { get; }

    public ExpectedVersion Expected { get; }
}
