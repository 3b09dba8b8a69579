namespace FirstViscount.EventSourcing;

/// <summary>An append found its stream at another version than expected: someone else appended first.</summary>
[GenerateSerializer, Alias("fv.wrong-expected-version")]
public sealed class WrongExpectedVersionException : FirstViscountException
{
    public WrongExpectedVersionException(string streamId, ExpectedVersion expected, Exception? innerException = null)
        : base($"Stream '{streamId}' is not at the expected {expected}.", innerException)
    {
        StreamId = streamId;
        Expected = expected.ToString();
    }

    [Id(0)]
    public string StreamId { get; }

    /// <summary>What the append expected, as text ("no stream", "any", "version 7").</summary>
    [Id(1)]
    public string Expected { get; }
}
