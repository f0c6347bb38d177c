using System.Text;

namespace LstmLab.Tests.Data;

/// <summary>A temporary folder for CSV test files, deleted on dispose.</summary>
internal sealed class TempCsv : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lstmlab-data-" + Guid.NewGuid().ToString("N"));

    public TempCsv() => Directory.CreateDirectory(_dir);

    /// <summary>Writes <paramref name="text"/> exactly (no BOM unless <paramref name="bom"/>) and returns the path.</summary>
    public string Write(string name, string text, bool bom = false)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    public string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
