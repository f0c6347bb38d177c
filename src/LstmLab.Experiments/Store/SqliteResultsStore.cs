using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LstmLab.Experiments.Store;

/// <summary>The embedded store: one SQLite file (WAL mode, so readers never block the writer), e.g. <c>OUT/results.db</c>.</summary>
public sealed class SqliteResultsStore : ResultsStore
{
    private readonly string _connectionString;

    /// <summary>Opens (or creates) the SQLite file at <paramref name="path"/>; its folder is created if missing.</summary>
    internal SqliteResultsStore(string path)
    {
        FilePath = Path.GetFullPath(path);
        if (Directory.Exists(FilePath))
            throw new ArgumentException($"--store '{path}' is a folder; name the results file, e.g. {System.IO.Path.Combine(path, "results.db")}.");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL";
        wal.ExecuteNonQuery();
    }

    /// <summary>The file's full path.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public override string Description => FilePath;

    /// <inheritdoc/>
    public override bool IsShared => false;

    /// <inheritdoc/>
    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new IOException($"Cannot open the results store {FilePath}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    protected override void LockForMigration(DbConnection connection, DbTransaction transaction)
    {
        // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is held already.
    }

    /// <inheritdoc/>
    protected override object DoubleToDb(double value) => double.IsNaN(value) ? DBNull.Value : value;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        SqliteConnection.ClearAllPools();
        base.Dispose(disposing);
    }
}
