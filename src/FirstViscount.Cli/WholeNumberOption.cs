using System.CommandLine;
using System.Globalization;

namespace FirstViscount.Cli;

/// <summary>An option taking a whole number within bounds; anything else is a parse error naming the option and the value.</summary>
internal static class WholeNumberOption
{
    public static Option<int> Create(string name, string description, string helpName, int minimum, int maximum, int defaultValue) => new(name)
    {
        Description = $"{description} ({minimum.ToString("N0", CultureInfo.InvariantCulture)}..{maximum.ToString("N0", CultureInfo.InvariantCulture)})",
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                return value;
            }
            result.AddError($"{name} '{text}' is not a whole number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}");
            return defaultValue;
        },
    };
}
