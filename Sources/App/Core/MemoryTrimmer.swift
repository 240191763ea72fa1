import NIOConcurrencyHelpers
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Hands the heap's free pages back to the system twice a second (glibc's `malloc_trim`).
///
/// glibc keeps memory a thread freed in that thread's arena for its next allocations, and a served program has a
/// dozen threads: after `bench/mixed.sh` (200 connections, 110 KB pages) the heap held 26 MiB, 8–9 of them free.
/// BENCHMARKS.md («Fourth step», «Memory») has the figures.
struct MemoryTrimmer: LifecycleHandler {
    let interval: Duration
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(interval: Duration = .milliseconds(500)) { self.interval = interval }

    func didBootAsync(_ application: Application) async throws {
        let interval = interval
        task.withLockedValue {
            $0 = Task.detached(priority: .background) {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    Self.trim()
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { $0?.cancel() }
    }

    private typealias Trim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim` (its header is not part of the `Glibc` module); nil elsewhere.
    private static let mallocTrim: Trim? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: Trim.self)
        #else
            return nil
        #endif
    }()

    /// Returns the free pages of every arena; does nothing where the C library has no such call.
    static func trim() {
        _ = mallocTrim?(0)
    }
}
