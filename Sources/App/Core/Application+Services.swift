import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct UserDirectoryKey: StorageKey { typealias Value = UserDirectory }

    /// The configuration the program was started with.
    public var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) was not called") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    var userDirectory: UserDirectory {
        get {
            guard let directory = storage[UserDirectoryKey.self] else {
                fatalError("configure(_:config:) was not called")
            }
            return directory
        }
        set { storage[UserDirectoryKey.self] = newValue }
    }
}
