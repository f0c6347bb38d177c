using System.CommandLine;
using System.Net;
using Hangfire;
using LstmLab.Experiments.Distributed;
using LstmLab.Experiments.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static LstmLab.Cli.CliOutput;

namespace LstmLab.Cli.Commands;

/// <summary><c>lstmlab dashboard</c>: Hangfire's dashboard of the shared store's queue, on 127.0.0.1 only.</summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var store = StoreCommands.StoreOption();
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1.", DefaultValueFactory = _ => 5117 };
        var command = new Command("dashboard", "Serve Hangfire's dashboard (queued, processing, succeeded, failed units; servers) on http://127.0.0.1:PORT/hangfire until Ctrl+C.") { store, port };
        command.SetAction(parse => Guard(() =>
        {
            int p = parse.GetValue(port);
            if (p is < 1 or > 65535)
                throw new ArgumentException($"--port must be between 1 and 65535 (got {p}).");
            using var opened = (PostgresResultsStore)StoreCommands.OpenStore(parse, store, shared: true);
            JobStorage storage = JobQueue.Storage(opened);
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, p));
            builder.Services.AddHangfire(_ => { });
            using WebApplication app = builder.Build();
            app.UseHangfireDashboard("/hangfire", new DashboardOptions { DashboardTitle = "LstmLab units", AppPath = null }, storage);
            app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Redirect("/hangfire"));
            app.Start();
            Console.WriteLine(F($"Dashboard of {opened.Description} on http://127.0.0.1:{p}/hangfire (Ctrl+C stops it)"));
            app.WaitForShutdown();
            return 0;
        }));
        return command;
    }
}
