using System.Text.Json;

namespace FirstViscount.Invocation;

/// <summary>
/// One call of one grain interface method, with its arguments as fields. Generated per method, so that
/// dispatch needs no reflection: <see cref="Invoke"/> calls the method directly.
/// </summary>
public abstract class GrainRequest
{
    /// <summary>Full name of the interface that declares the method.</summary>
    public abstract string InterfaceName { get; }

    /// <summary>The method's stable key: its name and parameter types.</summary>
    public abstract string MethodKey { get; }

    public virtual GrainCallOptions Options => GrainCallOptions.None;

    /// <summary>The call's CancellationToken argument, if the method has one.</summary>
    public virtual CancellationToken CancellationToken
    {
        get => default;
        set { }
    }

    /// <summary>Calls the method on <paramref name="grain"/>; returns a <c>Task&lt;TResult&gt;</c> or a <see cref="Task"/>.</summary>
    public abstract Task Invoke(object grain);

    /// <summary>Writes the arguments as a JSON array.</summary>
    public abstract void WriteArguments(Utf8JsonWriter writer, JsonSerializerOptions options);

    /// <summary>Reads the arguments from a JSON array; extra elements (from newer callers) are ignored.</summary>
    public abstract void ReadArguments(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>A completion typed like the method's result, for calls that do not complete inline.</summary>
    public abstract ResponseCompletion CreateCompletion();

    /// <summary>Writes the result of a successfully completed <paramref name="completed"/> task.</summary>
    public abstract void WriteResult(Task completed, Utf8JsonWriter writer, JsonSerializerOptions options);

    public override string ToString() => $"{InterfaceName}.{MethodKey}";
}

/// <summary>A request whose method returns <typeparamref name="TResult"/> (methods without a result use <see cref="object"/>).</summary>
public abstract class GrainRequest<TResult> : GrainRequest
{
    public sealed override ResponseCompletion CreateCompletion() => new ResponseCompletion<TResult>();

    public sealed override void WriteResult(Task completed, Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        if (completed is Task<TResult> typed)
        {
            JsonSerializer.Serialize(writer, typed.Result, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
