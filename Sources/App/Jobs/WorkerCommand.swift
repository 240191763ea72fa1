import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `ringo worker [--concurrency N]`: runs background jobs until SIGINT/SIGTERM, then lets the jobs in flight
/// finish. Any number of workers (and `serve` processes) can share one PostgreSQL database.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "concurrency", short: "c", help: "Jobs run at the same time (default 4)")
        var concurrency: Int?
    }

    var help: String { "Runs background jobs (notifications, reports, clean-up, schedules) until stopped." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var settings = JobWorker.Settings()
        settings.concurrency = max(signature.concurrency ?? 4, 1)
        let worker = JobWorker(application: app, settings: settings)
        worker.start()
        context.console.print(
            "worker \(settings.runner.workerID) running; jobs: \(app.jobs.names.joined(separator: ", "))")
        await ShutdownSignal.wait()
        context.console.print("stopping: waiting for the jobs in flight")
        await worker.stop()
    }
}

/// Waits for SIGINT or SIGTERM.
enum ShutdownSignal {
    private final class Sources: @unchecked Sendable {
        var sources: [any DispatchSourceSignal] = []
    }

    static func wait() async {
        let holder = Sources()
        let resumed = NIOLockedValueBox(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let first = resumed.withLockedValue { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume() }
                }
                source.resume()
                holder.sources.append(source)
            }
        }
        for source in holder.sources { source.cancel() }
    }
}
