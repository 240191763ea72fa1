import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import JWT
import SQLKit
import Vapor

/// Sets up the application: database, migrations, security, middleware, routes and commands.
/// Production and tests call the same function.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.userDirectory = UserDirectory()
    app.writeSerializer = WriteSerializer(enabled: !config.usesPostgres)
    app.responseCache = ResponseCache(isEnabled: config.responseCacheEnabled)
    app.logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info

    try configureDatabase(app, config: config)
    app.migrations.add(AppMigrations.all)
    useModelMiddleware(app.databases, on: config.usesPostgres ? .psql : .sqlite)
    if case .sqliteFile(let path) = config.database {
        let writer = SQLiteWriter(path: path) { useModelMiddleware($0, on: .sqlite) }
        app.writeSerializer = WriteSerializer(enabled: true, writer: writer)
        app.lifecycle.use(SQLiteWriterLifecycle(writer: writer))
        // Tests share their event loops with every other test of the run; only a served program yields them.
        if config.mode != .testing { SQLiteWriter.yieldEventLoops(app.eventLoopGroup) }
    }
    // Tests share one process; only the program itself (serve, worker) gives its free heap back.
    if config.mode != .testing { app.lifecycle.use(MemoryTrimmer()) }

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    await app.jwt.keys.add(hmac: HMACKey(from: config.jwtSecret), digestAlgorithm: .sha256)

    // JSON and forms; photo uploads have a limit of their own (routes.swift).
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: AppConfig.jsonBodyLimit)
    app.routes.caseInsensitive = false

    let metrics = config.metricsEnabled ? RequestMetrics() : nil
    app.middleware = Middlewares()
    app.middleware.use(RequestContextMiddleware(metrics: metrics))
    app.middleware.use(CORSPolicyMiddleware(allowedOrigins: config.corsAllowedOrigins))
    app.middleware.use(RequestBodyLimit(jsonLimit: AppConfig.jsonBodyLimit).onlyWhen(RequestBodyLimit.applies))
    if !config.usesPostgres { app.middleware.use(SQLiteWriteGate(serializer: app.writeSerializer)) }
    let publicDirectory = app.directory.publicDirectory
    if FileManager.default.fileExists(atPath: publicDirectory) {
        app.middleware.use(StaticFileHeaders().onlyWhen(\.isOutsideAPI))
        app.middleware.use(
            FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil).onlyWhen(\.isOutsideAPI))
    }

    app.fileStorage = app.makeFileStorage(config.fileStorage)
    configureNotifications(app, config: config)

    app.configureJobs()
    try routes(app, metrics: metrics)
    registerCommands(app)
}

/// Channels from the configuration, and the dispatcher that runs deliveries. When the job runner
/// lands, replace `InProcessNotificationDispatcher` here with one that enqueues a job whose handler
/// calls `DeliveryWorker.attempt` (the payload is the `Codable` `NotificationDelivery`).
private func configureNotifications(_ app: Application, config: AppConfig) {
    if let telegram = config.telegram {
        app.telegramSender = TelegramBotClient(settings: telegram, client: app.http.client.shared)
    }
    if let webPush = config.webPush {
        do {
            let client = HTTPWebPushSender.makeClient(eventLoopGroup: app.eventLoopGroup)
            app.lifecycle.use(PushHTTPClientLifecycle(client: client))
            app.webPushSender = HTTPWebPushSender(
                vapid: try VAPIDSigner(settings: webPush), client: client, logger: app.logger)
        } catch {
            app.logger.error("web push disabled: VAPID key unusable", metadata: ["error": "\(error)"])
        }
    }
    // Deliveries are jobs wherever a job runner works; tests keep the in-process loop with short delays.
    if config.mode == .testing {
        app.notificationDispatcher = InProcessNotificationDispatcher(
            worker: DeliveryWorker(app: app), retry: config.notificationRetry)
    } else {
        app.notificationDispatcher = JobNotificationDispatcher(
            app: app, maxAttempts: config.notificationRetry.maxAttempts)
    }
    app.lifecycle.use(NotificationDispatcherLifecycle())
    app.asyncCommands.use(VAPIDKeysCommand(), as: "vapid-keys")
}

/// The search text the models keep for themselves, on every `Databases` that saves them.
private func useModelMiddleware(_ databases: Databases, on id: DatabaseID) {
    databases.middleware.use(UserSearchTextMiddleware(), on: id)
    databases.middleware.use(EquipmentSearchTextMiddleware(), on: id)
    databases.middleware.use(ServiceItemSearchTextMiddleware(), on: id)
    databases.middleware.use(MaterialItemSearchTextMiddleware(), on: id)
    databases.middleware.use(AttachmentSearchTextMiddleware(), on: id)
    databases.middleware.use(ClientSearchTextMiddleware(), on: id)
}

private func configureDatabase(_ app: Application, config: AppConfig) throws {
    switch config.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .sqliteFile(let path):
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let schema = config.postgresSchema { postgres.searchPath = [schema, "public"] }
        // `DATABASE_POOL_SIZE` connections per event loop (4): list and detail reads are short, and more
        // connections keep both cores busy while one query waits on the database. Tests run hundreds of apps at
        // once against one server, so each gets two.
        app.databases.use(
            .postgres(
                configuration: postgres,
                maxConnectionsPerEventLoop: config.mode == .testing ? 2 : config.databasePoolSize,
                connectionPoolTimeout: .seconds(config.mode == .testing ? 60 : 10)),
            as: .psql)
    }
}

extension Application {
    /// Runs pending migrations. On PostgreSQL an advisory lock makes instances that start together
    /// take turns, so exactly one of them migrates.
    public func migrateWithLock() async throws {
        guard case .postgres(let url) = config.database else {
            if case .sqliteFile = config.database {
                // Readers never wait for the writer and the writer never waits for readers; kept in the file.
                _ = try await (try db.sql()).raw("PRAGMA journal_mode=WAL").all()
            }
            try await autoMigrate()
            return
        }
        if let schema = config.postgresSchema {
            try await (try db.sql()).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
        // The lock lives on a connection of its own, outside the pool the migrator uses.
        let settings = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            on: eventLoopGroup.any(), configuration: settings.coreConfiguration, id: 1, logger: logger)
        let lockKey: Int64 = 727_274_001
        do {
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await autoMigrate()
                try await StoredOrderJSON.install(on: db.sql(), timeZone: config.timeZone.identifier)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
