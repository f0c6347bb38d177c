using LstmLab.Experiments.Harness;

namespace LstmLab.Experiments.Store;

/// <summary>
/// Reports written from a results store: the files a local run writes, with their provenance taken from what
/// the units recorded (the day the last one finished, the machine they ran on), not from when and where the
/// report is written. So a local run and a distributed run of the same experiment, the same day on the same
/// machine, write the same bytes.
/// </summary>
public static class StoreReport
{
    /// <summary>The report of <paramref name="record"/> in <paramref name="store"/>, made from <paramref name="definition"/> and <paramref name="results"/>.</summary>
    /// <param name="dataName">How the provenance names the data, when the definition reads a copy of it (a store's copy of the submitted file).</param>
    /// <exception cref="LstmLab.Data.DataFormatException">The experiment's data cannot be loaded.</exception>
    public static ExperimentReport For(ResultsStore store, ExperimentRecord record, ExperimentDefinition definition, IReadOnlyList<RepeatResult> results, string? dataName = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        ProducedOn? produced = store.Produced(record.Id);
        Provenance provenance = produced is null
            ? ExperimentReport.ProvenanceOf(definition)
            : ExperimentReport.ProvenanceOf(definition, produced.Date, produced.Machine);
        if (dataName is not null)
            provenance = provenance with { Data = [.. provenance.Data.Select(d => d with { Name = dataName })] };
        return ExperimentReport.For(definition, results, provenance);
    }
}
