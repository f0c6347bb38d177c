using System.Text.Json;
using Xunit;

namespace LstmLab.Cli.Tests;

// Provenance (whole file) (hand): the summary texts restate the options passed (GRU(15), dropout 0.1); 0.2 of 20
// samples = 4 validation, 16 training.

/// <summary><c>run echo</c>'s model and training controls: --cell, --layers, --bidirectional, dropout, validation, early stopping, optimizer, loss.</summary>
[Collection("Console")]
public sealed class EchoTrainingOptionsTests
{
    [Fact]
    public void Gru_Stacked_Bidirectional_WithDropout_RunsAndReportsItsSettings()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "echo", "--cell", "gru", "--layers", "2", "--bidirectional", "--dropout", "0.1",
            "--recurrent-dropout", "0.1", "--optimizer", "sgd", "--loss", "categorical_crossentropy(from_logits=true)", "--alphabet", "6", "--length", "8", "--epochs", "3", "--json");
        Assert.Equal(0, code);
        Assert.Contains("2 × Bidirectional(GRU(15, dropout 0.1, recurrent_dropout 0.1))", stdout);
        Assert.Contains("Dense(6, linear)", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement settings = doc.RootElement.GetProperty("settings");
        Assert.Equal("gru", settings.GetProperty("cell").GetString());
        Assert.Equal(2, settings.GetProperty("layers").GetInt32());
        Assert.True(settings.GetProperty("bidirectional").GetBoolean());
        Assert.Equal("sgd", settings.GetProperty("optimizer").GetString());
    }

    [Fact]
    public void ValidationSplit_WithEarlyStopping_ReportsTheValidationLossAndTheRestoredEpoch()
    {
        (int code, string stdout, _) = CliRunner.Run("run", "echo", "--variant", "lag-context", "--validation-split", "0.2", "--early-stopping", "2",
            "--batch-size", "4", "--alphabet", "6", "--epochs", "40", "--json");
        Assert.Equal(0, code);
        Assert.Contains("validation split 0.2 (16 training, 4 validation samples per epoch), early stopping with patience 2", stdout);
        using JsonDocument doc = JsonDocument.Parse(CliRunner.LastLine(stdout));
        JsonElement root = doc.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("final_validation_loss").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("best_epoch").ValueKind);
        if (root.GetProperty("stopped_epoch").ValueKind == JsonValueKind.Number)
            Assert.Equal(root.GetProperty("best_epoch").GetInt32() + 2, root.GetProperty("stopped_epoch").GetInt32());
    }

    [Fact]
    public void A_stateful_validation_split_that_breaks_the_batches_suggests_a_batch_size()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "echo", "--variant", "lag-context", "--validation-split", "0.2");
        Assert.Equal(2, code);
        Assert.Contains("--batch-size", stderr);
    }
}
