import FluentKit
import FluentSQLiteDriver
import Glibc
import NIOCore
import NIOPosix
import Vapor

/// The embedded default's writer: one SQLite connection on a thread of its own, with a thread of its own for its
/// statements, that every transaction of a write turn uses (`WriteSerializer.transaction`).
///
/// Under a busy office's mix (docs/architecture.md#writes) an edit held the one write turn for 7 ms, most of it
/// waiting for threads busy with reads, and about 150 edits a second queued for a second. Here the turn's steps run
/// on threads that nothing else uses, and a served program lowers the priority of its event loops
/// (`yieldEventLoops`), so these threads get the cores first. Reads keep the shared connections; WAL lets them read
/// beside this writer.
final class SQLiteWriter: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    /// Runs the turn's code on the writer's event loop, so a step never waits for the shared threads.
    let executor: EventLoopTaskExecutor

    init(path: String, configure: (Databases) -> Void) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        databases.use(.sqlite(.file(path)), as: .sqlite)
        configure(databases)
        executor = EventLoopTaskExecutor(loop: group.next())
    }

    /// The writer's connection, logging through `logger`.
    func database(logger: Logger) throws -> any Database {
        guard let database = databases.database(.sqlite, logger: logger, on: executor.loop) else {
            throw Abort(.serviceUnavailable, reason: "The writer is shut down.")
        }
        return database
    }

    /// The nice value (`setpriority(2)`) of the event loops on the embedded default: under a load the two cores
    /// cannot keep up with, the threads that accept and read new requests yield to the writer and to the work of
    /// requests already read. Raising a thread's own nice needs no privilege. Measured on the mix of
    /// docs/architecture.md#writes: p99 946 → 153 ms at the same throughput.
    static let eventLoopNice: Int32 = 10

    /// Lowers the priority of `group`'s threads to `eventLoopNice` (on Linux the nice value is per thread).
    static func yieldEventLoops(_ group: any EventLoopGroup) {
        for loop in group.makeIterator() {
            loop.execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, eventLoopNice) }
        }
    }

    func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// A `TaskExecutor` (SE-0417) that runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

struct SQLiteWriterLifecycle: LifecycleHandler {
    let writer: SQLiteWriter

    func shutdownAsync(_ application: Application) async {
        await writer.shutdown()
    }
}
