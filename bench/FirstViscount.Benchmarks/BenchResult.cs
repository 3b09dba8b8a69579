using System.Globalization;
using System.Text.Json;

namespace FirstViscount.Benchmarks;

/// <summary>One benchmark figure, printed as a JSON line together with its anchor measured in the same run.</summary>
internal sealed record BenchResult(string Bench, double Value, string Unit, string Baseline, double BaselineValue)
{
    public double Ratio => BaselineValue == 0 ? 0 : Math.Round(Value / BaselineValue, 4);

    public string ToJson() => JsonSerializer.Serialize(new
    {
        bench = Bench,
        value = Math.Round(Value, 1),
        unit = Unit,
        baseline = Baseline,
        baselineValue = Math.Round(BaselineValue, 1),
        ratio = Ratio,
    });

    public override string ToString() => BaselineValue == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Bench}: {Value:N1} {Unit}")
        : string.Create(CultureInfo.InvariantCulture, $"{Bench}: {Value:N0} {Unit} ({Ratio:P1} of {Baseline})");
}
