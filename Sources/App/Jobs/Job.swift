import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A unit of background work: a small value with a stable name (stored in `jobs.name`, so never rename one
/// that may be queued) and a Codable payload (stored as JSON in `jobs.payload`).
///
/// Enqueue with `JobQueue(db:).enqueue(SomeJob(...))`, inside the transaction of the change that causes it, so
/// the job exists exactly when the change was committed. Handlers are registered on `app.jobs`.
protocol Job: Codable, Sendable {
    static var name: String { get }
    /// Runs before the job is declared dead (each attempt after a failure waits twice as long as the last).
    static var maxAttempts: Int { get }
}

extension Job {
    static var maxAttempts: Int { 5 }
}

/// What a handler gets besides its payload.
struct JobContext: Sendable {
    let application: Application
    let jobID: Int
    /// 1 for the first run, 2 for the first retry, …
    let attempt: Int
    let now: Date
    let logger: Logger

    var db: any Database { application.db }
}

/// The handlers by job name, registered while the application is configured.
final class JobRegistry: Sendable {
    /// Runs one job from its stored JSON payload; the returned JSON is kept as the job's `result`.
    typealias Handler = @Sendable (_ payload: String, _ context: JobContext) async throws -> JSONValue?

    struct Entry: Sendable {
        var maxAttempts: Int
        var handler: Handler
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Registers (or replaces) the handler of `J`.
    func register<J: Job>(_ type: J.Type, handler: @escaping @Sendable (J, JobContext) async throws -> JSONValue?) {
        let entry = Entry(maxAttempts: J.maxAttempts) { payload, context in
            let job: J
            do {
                job = try JSONDecoder().decode(J.self, from: Data(payload.utf8))
            } catch {
                throw JobFailure.permanent("payload of \(J.name) does not decode: \(error)")
            }
            return try await handler(job, context)
        }
        entries.withLockedValue { $0[J.name] = entry }
    }

    func entry(named name: String) -> Entry? {
        entries.withLockedValue { $0[name] }
    }

    var names: [String] {
        entries.withLockedValue { $0.keys.sorted() }
    }
}

/// A failure a retry cannot fix (bad payload, unknown job): the job goes straight to `dead`.
enum JobFailure: Error, CustomStringConvertible {
    case permanent(String)

    var description: String {
        switch self {
        case .permanent(let message): message
        }
    }
}

extension Application {
    private struct JobRegistryKey: StorageKey { typealias Value = JobRegistry }
    private struct JobScheduleKey: StorageKey { typealias Value = JobSchedule }
    private struct JobWorkerKey: StorageKey { typealias Value = JobWorker }

    /// The job handlers of this application.
    var jobs: JobRegistry {
        get {
            guard let registry = storage[JobRegistryKey.self] else { fatalError("configure(_:config:) was not called") }
            return registry
        }
        set { storage[JobRegistryKey.self] = newValue }
    }

    /// The periodic jobs the workers enqueue.
    var jobSchedule: JobSchedule {
        get { storage[JobScheduleKey.self] ?? JobSchedule(entries: []) }
        set { storage[JobScheduleKey.self] = newValue }
    }

    /// The in-process worker, when one runs inside `serve`.
    var inProcessJobWorker: JobWorker? {
        get { storage[JobWorkerKey.self] }
        set { storage[JobWorkerKey.self] = newValue }
    }

    /// Runs the job worker inside this process from boot to shutdown (the embedded default's `serve`).
    /// Call before the application boots.
    public func useInProcessJobWorker() {
        lifecycle.use(JobWorkerLifecycle())
    }
}
