using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace LstmLab.Experiments.Store;

/// <summary>
/// <c>lstmlab experiment export</c>: one experiment's rows of every store table, as CSV (RFC 4180, invariant
/// culture, doubles round-trip) and as Parquet (for pandas and DuckDB), one file per table.
/// </summary>
public static class StoreExport
{
    /// <summary>Writes <c>TABLE.csv</c> and <c>TABLE.parquet</c> for each table into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Write(ResultsStore store, string experimentId, string directory)
    {
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (StoreTable table in StoreSchema.Tables)
        {
            IReadOnlyList<object?[]> rows = store.Rows(table.Name, experimentId);
            string csv = Path.Combine(directory, table.Name + ".csv");
            Harness.AtomicFile.WriteAllText(csv, Csv(table, rows));
            written.Add(csv);
            string parquet = Path.Combine(directory, table.Name + ".parquet");
            WriteParquet(table, rows, parquet);
            written.Add(parquet);
        }
        return written;
    }

    /// <summary>The CSV text of <paramref name="rows"/> of <paramref name="table"/>, with a header row.</summary>
    public static string Csv(StoreTable table, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendJoin(',', table.Columns.Select(c => c.Name)).Append('\n');
        foreach (object?[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                if (i > 0)
                    sb.Append(',');
                sb.Append(row[i] switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    string s => Quote(s),
                    var other => Quote(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
                });
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static void WriteParquet(StoreTable table, IReadOnlyList<object?[]> rows, string path)
    {
        var fields = table.Columns.Select(c => (Field)(c.Kind switch
        {
            ColumnKind.Text => new DataField<string>(c.Name, !c.NotNull),
            ColumnKind.Integer => c.NotNull ? new DataField<long>(c.Name) : new DataField<long?>(c.Name),
            _ => c.NotNull ? new DataField<double>(c.Name) : new DataField<double?>(c.Name),
        })).ToArray();
        var schema = new ParquetSchema(fields);
        var records = rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < row.Length; i++)
                record[table.Columns[i].Name] = row[i];
            return (IDictionary<string, object?>)record;
        }).ToArray();
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            ParquetSerializer.SerializeUntypedAsync(records, schema, stream).GetAwaiter().GetResult();
        }
        File.Move(temp, path, overwrite: true);
    }
}
