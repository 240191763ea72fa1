import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Polls the `jobs` table and runs up to `concurrency` jobs at a time; also enqueues the schedule's due slots.
/// Runs inside `serve` on the embedded default (`JobWorkerLifecycle`) or as `ringo worker` processes.
final class JobWorker: Sendable {
    struct Settings: Sendable {
        var runner = JobRunnerSettings()
        var concurrency = 2
        /// How long an idle worker waits before looking for due jobs again.
        var pollInterval: TimeInterval = 1
        /// How often the schedule is checked.
        var scheduleInterval: TimeInterval = 30
    }

    private struct State {
        var stopping = false
        var inFlight = 0
        var loop: Task<Void, Never>?
        var lastScheduleCheck: Date?
    }

    let application: Application
    let settings: Settings
    let runner: JobRunner
    private let state = NIOLockedValueBox(State())

    init(application: Application, settings: Settings = Settings(), clock: JobClock = .system) {
        self.application = application
        self.settings = settings
        runner = JobRunner(application: application, settings: settings.runner, clock: clock)
    }

    func start() {
        state.withLockedValue { state in
            guard state.loop == nil else { return }
            state.stopping = false
            state.loop = Task { await self.run() }
        }
        application.logger.info("job worker started", metadata: ["worker": .string(settings.runner.workerID)])
    }

    /// Stops claiming and waits for the jobs in flight to finish.
    func stop() async {
        let loop = state.withLockedValue { state -> Task<Void, Never>? in
            state.stopping = true
            defer { state.loop = nil }
            return state.loop
        }
        await loop?.value
        application.logger.info("job worker stopped", metadata: ["worker": .string(settings.runner.workerID)])
    }

    private var isStopping: Bool { state.withLockedValue { $0.stopping } }

    private func run() async {
        let runner = self.runner
        await withDiscardingTaskGroup { group in
            while !isStopping {
                await checkSchedule()
                let hasCapacity = state.withLockedValue { $0.inFlight < settings.concurrency }
                if hasCapacity {
                    do {
                        if let job = try await runner.claim() {
                            state.withLockedValue { $0.inFlight += 1 }
                            group.addTask {
                                await runner.execute(job)
                                self.state.withLockedValue { $0.inFlight -= 1 }
                            }
                            continue
                        }
                    } catch {
                        application.logger.error("cannot claim a job", metadata: ["error": "\(error)"])
                    }
                }
                let pause = hasCapacity ? settings.pollInterval : min(settings.pollInterval, 0.05)
                try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
            }
        }
    }

    private func checkSchedule() async {
        let now = runner.clock.now()
        let due = state.withLockedValue { state -> Bool in
            if let last = state.lastScheduleCheck, now.timeIntervalSince(last) < settings.scheduleInterval {
                return false
            }
            state.lastScheduleCheck = now
            return true
        }
        guard due else { return }
        do {
            try await application.jobSchedule.enqueueDue(on: application, now: now)
        } catch {
            application.logger.error("cannot enqueue scheduled jobs", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs a `JobWorker` from boot to shutdown of the application (in-process jobs for `serve`).
struct JobWorkerLifecycle: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        let worker = JobWorker(application: application)
        application.inProcessJobWorker = worker
        worker.start()
    }

    func shutdownAsync(_ application: Application) async {
        await application.inProcessJobWorker?.stop()
    }
}
