namespace FirstViscount.Audit.Checks;

/// <summary>
/// What a slice of the log (a ClickHouse table's month or hour) should have put into ClickHouse: as delivered up to the
/// sink's checkpoint, and in all. ClickHouse, read after the checkpoint, must hold at least the first and at most the second.
/// </summary>
internal readonly record struct LogTotals(long DeliveredRows, long AllRows, decimal DeliveredAmount, decimal AllAmount)
{
    public LogTotals Add(bool delivered, long rows, decimal amount) => delivered
        ? new(DeliveredRows + rows, AllRows + rows, DeliveredAmount + amount, AllAmount + amount)
        : this with { AllRows = AllRows + rows, AllAmount = AllAmount + amount };

    public bool FullyDelivered => DeliveredRows == AllRows;

    /// <summary>Why <paramref name="rows"/> in ClickHouse cannot be right (null: they can).</summary>
    public string? Mismatch(long rows) =>
        rows < DeliveredRows ? $"ClickHouse has {rows} rows, the log delivered {DeliveredRows}: {DeliveredRows - rows} lost"
        : rows > AllRows ? $"ClickHouse has {rows} rows, the log only {AllRows}: {rows - AllRows} that are not in the log"
        : null;
}
