using LstmLab.Layers;
using LstmLab.Numerics;
using LstmLab.Training;
using Xunit;

namespace LstmLab.Cli.Tests;

/// <summary>
/// The error contract, through the command line: every user mistake or environment problem is one
/// <c>error:</c> line on standard error with exit code 2 (3 for a diverged training), no help dump,
/// no stack trace, no .NET type or parameter names, no echoed binary bytes.
/// </summary>
[Collection("Console")]
public sealed class ErrorContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lstmlab-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Asserts the contract and returns the one error line.</summary>
    internal static string OneErrorLine(int code, string stderr, int expectedCode = 2)
    {
        Assert.True(code == expectedCode, $"exit code {code}, stderr: {stderr}");
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] errors = lines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, stderr);
        foreach (string bad in new[] { "   at ", "Usage:", "Description:", "System.", "(Parameter '", expectedCode == 70 ? "   at " : "Exception:" })
            Assert.DoesNotContain(bad, stderr, StringComparison.Ordinal);
        Assert.True(errors[0].All(ch => ch >= 0x20 && ch < 0x7f || ch is '×' or '–' or '≥'), "non-printable characters in: " + errors[0]);
        return errors[0];
    }

    [Theory]
    [InlineData("run memory --epoch 5", "unknown option '--epoch'", "did you mean --epochs?")]
    [InlineData("run memory --trails 3", "unknown option '--trails'", "did you mean --trials?")]
    [InlineData("run shampoo --repeat 2", "unknown option '--repeat'", "did you mean --repeats?")]
    [InlineData("forecast --epochs abc", "--epochs expects a whole number", "got 'abc'")]
    [InlineData("forecast --epochs 1e3", "--epochs expects a whole number", "got '1e3'")]
    [InlineData("run memory --epochs 99999999999", "a whole number from -2147483648 to 2147483647", "got '99999999999'")]
    [InlineData("forecast --adam-epsilon tiny", "--adam-epsilon expects a number", "got 'tiny'")]
    [InlineData("run memory --epochs", "--epochs needs a value", "a whole number")]
    [InlineData("run memory --json maybe", "--json is a switch and takes no value", "got 'maybe'")]
    [InlineData("run memory --epochs 1 --epochs 2", "--epochs was given 2 values", "give it once")]
    [InlineData("rn memory", "unknown command 'rn'", "did you mean run?")]
    [InlineData("experiment compre a", "unknown command 'compre'", "did you mean compare?")]
    [InlineData("run", "`lstmlab run` needs a command", "memory, echo, shampoo or long-lag")]
    [InlineData("", "`lstmlab` needs a command: ", "experiment")]
    [InlineData("experiment run", "`lstmlab experiment run` needs FILE", "experiment file")]
    [InlineData("run memory --variant lag-context", "unknown option '--variant'", "it is an option of `lstmlab run echo`")]
    [InlineData("run memory extra", "unexpected argument 'extra'", "takes no more arguments")]
    [InlineData("run memory -e", "unknown option '-e'", "(see `lstmlab run memory --help`)")]
    [InlineData("--verison", "unknown option '--verison'", "did you mean --version?")]
    [InlineData("@args.txt", "unknown command '@args.txt'", "expected one of ")]
    public void Every_command_line_mistake_is_one_error_line_with_exit_code_2(string args, string expected, string more)
    {
        (int code, string stdout, string stderr) = CliRunner.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string line = OneErrorLine(code, stderr);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(more, line, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Help_still_prints_help_even_after_a_mistake()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("run", "memory", "--epochs", "abc", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
    }

    // Provenance (hand): the line numbers count the lines of the YAML text in each case.
    [Theory]
    [InlineData("name: x\nbase:\n  epochs: [1\nconfigurations:\n  a: {}\n", 3, "never closed")]
    [InlineData("name: x\nbase: {epochs: 1\nconfigurations:\n  a: {}\n", 2, "never closed")]
    [InlineData("name: x\n\tbase: 1\n", 2, "tab")]
    [InlineData("name: x\nbase: 'abc\n\nconfigurations: 1\n", 2, "quoted value")]
    [InlineData("name: x\nname: y\nconfigurations:\n  a: {}\n", 2, "defined again")]
    [InlineData("name: x\nbase:\n  epochs: 1\n lag: 2\n", 4, "line 4")]
    [InlineData("name: x\nfoo: *bar\n", 2, "alias")]
    [InlineData("name: x\n- a\n", 2, "line 2")]
    [InlineData("a: b: c\n", 1, "line 1")]
    [InlineData("name: x\nkey: `bad\n", 2, "line 2")]
    public void Yaml_syntax_errors_of_every_kind_name_the_file_and_the_right_line(string yaml, int line, string words)
    {
        string file = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(file, yaml);
        (int code, _, string stderr) = CliRunner.Run("experiment", "run", file, "--out", Path.Combine(_dir, "out"));
        string error = OneErrorLine(code, stderr);
        Assert.Contains("broken.yaml, line " + line + ":", error, StringComparison.Ordinal);
        Assert.Contains(words, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void An_experiment_file_that_is_a_folder_or_binary_says_so_without_echoing_bytes()
    {
        string folder = Path.Combine(_dir, "exp.yaml");
        Directory.CreateDirectory(folder);
        (int code, _, string stderr) = CliRunner.Run("experiment", "run", folder);
        Assert.Contains("is a folder, not a file", OneErrorLine(code, stderr), StringComparison.Ordinal);

        string binary = Path.Combine(_dir, "image.yaml");
        var bytes = new byte[256];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(255 - i);
        File.WriteAllBytes(binary, bytes);
        (code, _, stderr) = CliRunner.Run("experiment", "run", binary);
        Assert.Contains("not a text file", OneErrorLine(code, stderr), StringComparison.Ordinal);

        // Undecodable bytes without a zero byte: named by offset, not echoed.
        File.WriteAllBytes(binary, [(byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)':', 0xC3, 0x28, 0xFF, (byte)'\n']);
        (code, _, stderr) = CliRunner.Run("experiment", "run", binary);
        Assert.Contains("not UTF-8 text (an invalid byte at offset 5)", OneErrorLine(code, stderr), StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_sizes_are_refused_before_allocating_with_the_size_asked_for()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "memory", "--units", "100000000", "--epochs", "1");
        string error = OneErrorLine(code, stderr);
        Assert.Contains("400000000", error, StringComparison.Ordinal);
        Assert.Contains("GB", error, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("run", "shampoo", "--repeats", "2000000000", "--out", Path.Combine(_dir, "huge"));
        Assert.Contains("3 configurations × 2000000000 --repeats is 6000000000 repeats in all", OneErrorLine(code, stderr), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "huge")));

        (code, _, stderr) = CliRunner.Run("run", "memory", "--units", "1000000000", "--epochs", "1");
        error = OneErrorLine(code, stderr);
        Assert.Contains("at most 536870911 units (got 1000000000)", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"-\d", error);
    }

    [Fact]
    public void An_unwritable_out_or_plot_is_refused_before_training_starts()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        (int code, string stdout, string stderr) = CliRunner.Run("run", "shampoo", "--repeats", "1", "--epochs", "1", "--out", file);
        Assert.Contains("is a file, not a folder", OneErrorLine(code, stderr), StringComparison.Ordinal);
        Assert.DoesNotContain("Repeats", stderr, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));

        (code, _, stderr) = CliRunner.Run("run", "shampoo", "--repeats", "1", "--epochs", "1", "--out", Path.Combine(file, "below"));
        Assert.Contains("on its path is a file", OneErrorLine(code, stderr), StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("run", "shampoo", "--repeats", "1", "--epochs", "1", "--out", "/proc/lstmlab-cannot-be-here");
        Assert.Contains("cannot be created", OneErrorLine(code, stderr), StringComparison.Ordinal);

        (code, stdout, stderr) = CliRunner.Run("forecast", "--epochs", "1", "--plot", Path.Combine(file, "plot.svg"));
        Assert.Contains("--plot", OneErrorLine(code, stderr), StringComparison.Ordinal);
        Assert.DoesNotContain("Training", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);

        (code, _, stderr) = CliRunner.Run("forecast", "--epochs", "1", "--plot", "/proc/lstmlab-plot.svg");
        Assert.Contains("--plot '/proc/lstmlab-plot.svg' cannot be written", OneErrorLine(code, stderr), StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("forecast", "--epochs", "1", "--plot", _dir);
        Assert.Contains("is a folder", OneErrorLine(code, stderr), StringComparison.Ordinal);
    }

    [Fact]
    public void An_adam_epsilon_of_zero_is_refused_up_front()
    {
        (int code, _, string stderr) = CliRunner.Run("forecast", "--epochs", "1", "--adam-epsilon", "0");
        Assert.Contains("epsilon must be a positive number", OneErrorLine(code, stderr), StringComparison.Ordinal);
        Assert.DoesNotContain("Training [", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverged_training_exits_with_3_and_one_line_that_says_what_to_change()
    {
        // A real divergence from the engine (plain SGD at learning rate 1 on y = 1000·x), reported as the CLI reports it.
        var model = new Sequential(SampleShape.Vector(1), seed: 5);
        model.Add(new Dense(1));
        model.Compile(Loss.MeanSquaredError, new Sgd(learningRate: 1));
        var x = new Tensor(new float[] { 1000, 999 }, 2, 1);
        var y = new Tensor(new float[] { 1000, 1000 }, 2, 1);
        var diverged = Assert.Throws<TrainingDivergedException>(() => model.Fit(x, y, epochs: 50, verbose: 0));
        var stderr = new StringWriter();
        TextWriter old = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = CliOutput.Report(new AggregateException(diverged));
        }
        finally
        {
            Console.SetError(old);
        }
        string line = OneErrorLine(code, stderr.ToString(), expectedCode: 3);
        Assert.Contains("Training diverged", line, StringComparison.Ordinal);
        Assert.Contains("epoch", line, StringComparison.Ordinal);
        Assert.Contains("LearningRate", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run echo --window 3", "--window applies to --variant lag-context")]
    [InlineData("run echo --variant lag-context --batch-size 7", "choose another --batch-size or --length, or set --stateless")]
    [InlineData("run memory --alphabet 2", "--alphabet must be at least 3")]
    [InlineData("run memory --trials 0", "--trials must be at least 1")]
    [InlineData("run shampoo --repeats 0", "--repeats must be at least 1")]
    public void Library_errors_name_the_library_setting_and_the_cli_maps_it_to_its_option(string args, string expected)
    {
        (int code, _, string stderr) = CliRunner.Run(args.Split(' '));
        Assert.Contains(expected, OneErrorLine(code, stderr), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bug_is_one_internal_error_line_with_exit_code_70_and_no_stack_trace()
    {
        var stderr = new StringWriter();
        TextWriter old = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = CliOutput.Guard(() => throw new InvalidOperationException("a state nobody expected"));
        }
        finally
        {
            Console.SetError(old);
        }
        string line = OneErrorLine(code, stderr.ToString(), expectedCode: 70);
        Assert.Contains("internal error", line, StringComparison.Ordinal);
        Assert.Contains("a state nobody expected", line, StringComparison.Ordinal);
    }

    // Provenance (spec): CliOutput.UserMessage's rule for control characters and U+FFFD, written out.
    [Fact]
    public void Library_messages_lose_the_parameter_suffix_and_control_characters()
    {
        string m = new ArgumentOutOfRangeException("units", 7, "An LSTM needs at least one unit.").Message;
        Assert.Equal("An LSTM needs at least one unit.", CliOutput.UserMessage(m));
        Assert.Equal(@"got 'a\x00b\x1b[31m\ufffd'", CliOutput.UserMessage("got 'a\0b\u001b[31m\uFFFD'"));
    }
}
