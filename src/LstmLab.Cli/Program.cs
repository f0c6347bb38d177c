return LstmLab.Cli.CliApp.Run(args);
