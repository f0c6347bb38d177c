using System.CommandLine;
using LstmLab.Experiments.Harness;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab run shampoo --experiment NAME</c>: seed tutorial 001's experiments, built in.</summary>
internal static class ShampooCommand
{
    public static Command Create()
    {
        var experiment = new Option<string>("--experiment")
        {
            Description = "a-vs-a, stateful-vs-stateless, batch-size, reset-regimes or gru-vs-lstm (see `lstmlab experiment list`).",
            DefaultValueFactory = _ => "stateful-vs-stateless",
        };
        var options = new ExperimentCommand.RunOptions();
        var command = new Command("shampoo", "Seed 001: the Shampoo Sales experiments, repeated, with statistics, box plot and report.") { experiment };
        options.AddTo(command);
        command.SetAction(parse => Guard(() => options.Execute(parse, BuiltinExperiments.Load(parse.GetValue(experiment)!))));
        return command;
    }
}
