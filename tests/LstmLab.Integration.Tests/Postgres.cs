using Npgsql;
using Xunit;

namespace LstmLab.Integration.Tests;

/// <summary>
/// A test that needs the PostgreSQL named by <c>LSTMLAB_TEST_PG</c> (<c>.ci/run</c> starts a throwaway
/// cluster on 127.0.0.1 and sets it). Without it the test is skipped with this reason, except under CI
/// (<c>CI=true</c>), where it runs and fails, so CI never passes without the integration tests.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "LSTMLAB_TEST_PG";

    public PostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null or "" && !IsCi)
            Skip = $"{Variable} is not set: start a throwaway PostgreSQL with `eval \"$(.ci/postgres.sh start)\"` (or run .ci/run) to run the integration tests.";
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A fresh database on the test server for one test, dropped at the end.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _admin;

    public TestDatabase()
    {
        _admin = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set (CI=true): .ci/run must start PostgreSQL with .ci/postgres.sh before the tests.");
        var builder = new NpgsqlConnectionStringBuilder(_admin);
        if (builder.Host is not ("127.0.0.1" or "localhost" or "::1"))
            throw new InvalidOperationException($"{PostgresFactAttribute.Variable} must name a server on 127.0.0.1 (got host {builder.Host}).");
        Name = "lstmlab_it_" + Guid.NewGuid().ToString("N")[..12];
        Execute($"CREATE DATABASE {Name}");
        builder.Database = Name;
        ConnectionString = builder.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
